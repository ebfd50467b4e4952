namespace Embedded.Dicom.Device;
