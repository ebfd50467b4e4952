namespace Embedded.Dicom.Networking.Pdu;

/// <summary>The user-identity-type field of the User Identity RQ sub-item (PS3.7 Annex D.3.3.7.1, Table D.3-14).</summary>
public enum UserIdentityType : byte
{
    /// <summary>Username as a UTF-8 string in the primary field.</summary>
    Username = 1,

    /// <summary>Username in the primary field and passcode in the secondary field.</summary>
    UsernameAndPasscode = 2,

    /// <summary>Kerberos service ticket.</summary>
    KerberosServiceTicket = 3,

    /// <summary>SAML assertion.</summary>
    SamlAssertion = 4,

    /// <summary>JSON Web Token.</summary>
    JsonWebToken = 5,
}
