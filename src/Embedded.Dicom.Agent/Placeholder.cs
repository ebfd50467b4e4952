namespace Embedded.Dicom.Agent;
