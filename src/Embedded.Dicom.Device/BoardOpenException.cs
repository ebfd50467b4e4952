using System;

namespace Embedded.Dicom.Device;

/// <summary>
/// The hardware named by a valid board profile could not be opened: the GPIO driver's native library is
/// missing, the chip or the I2C bus does not exist, a line is busy, the expander does not answer.
/// </summary>
public sealed class BoardOpenException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What could not be opened, and the likely remedy.</param>
    /// <param name="innerException">The driver's exception.</param>
    public BoardOpenException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
