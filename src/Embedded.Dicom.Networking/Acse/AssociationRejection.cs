using Embedded.Dicom.Networking.Pdu;

namespace Embedded.Dicom.Networking.Acse;

/// <summary>Why an acceptor refused an A-ASSOCIATE-RQ; one value per check of PS3.8 §9.3.2 / §9.3.4.</summary>
public enum AssociationRejectReason
{
    /// <summary>Protocol version without bit 0 (RJ 1/2/2).</summary>
    ProtocolVersionNotSupported,
    /// <summary>Application context name is not the DICOM one (RJ 1/1/2).</summary>
    ApplicationContextNotSupported,
    /// <summary>Called AE title is not ours, or malformed (RJ 1/1/7).</summary>
    CalledAeTitleNotRecognized,
    /// <summary>Calling AE title malformed or not allowed (RJ 1/1/3).</summary>
    CallingAeTitleNotRecognized,
    /// <summary>The user-identity hook refused the identity (RJ 1/1/1).</summary>
    UserIdentityRefused,
    /// <summary>Too many associations at once (RJ 2/3/2, transient: try later).</summary>
    TooManyAssociations,
    /// <summary>The application refused the caller (RJ 1/1/1, service-user, no reason given).</summary>
    RefusedByApplication,
}

/// <summary>The one mapping from <see cref="AssociationRejectReason"/> to A-ASSOCIATE-RJ result/source/reason (PS3.8 §9.3.4).</summary>
public static class AssociationRejection
{
    /// <summary>The A-ASSOCIATE-RJ PDU for <paramref name="reason"/>.</summary>
    public static AAssociateReject ToPdu(AssociationRejectReason reason) => reason switch
    {
        AssociationRejectReason.ProtocolVersionNotSupported => new(AAssociateRejectResult.RejectedPermanent, AAssociateRejectSource.ServiceProviderAcse, 2),
        AssociationRejectReason.ApplicationContextNotSupported => new(AAssociateRejectResult.RejectedPermanent, AAssociateRejectSource.ServiceUser, 2),
        AssociationRejectReason.CalledAeTitleNotRecognized => new(AAssociateRejectResult.RejectedPermanent, AAssociateRejectSource.ServiceUser, 7),
        AssociationRejectReason.CallingAeTitleNotRecognized => new(AAssociateRejectResult.RejectedPermanent, AAssociateRejectSource.ServiceUser, 3),
        AssociationRejectReason.UserIdentityRefused or AssociationRejectReason.RefusedByApplication => new(AAssociateRejectResult.RejectedPermanent, AAssociateRejectSource.ServiceUser, 1),
        _ => new(AAssociateRejectResult.RejectedTransient, AAssociateRejectSource.ServiceProviderPresentation, 2),
    };

    /// <summary>A sentence naming an A-ASSOCIATE-RJ as PS3.8 Table 9-21 does.</summary>
    public static string Describe(AAssociateReject reject)
    {
        string result = reject.Result == AAssociateRejectResult.RejectedTransient ? "rejected-transient" : "rejected-permanent";
        string reason = (reject.Source, reject.Reason) switch
        {
            (AAssociateRejectSource.ServiceUser, 1) => "no reason given",
            (AAssociateRejectSource.ServiceUser, 2) => "application context name not supported",
            (AAssociateRejectSource.ServiceUser, 3) => "calling AE title not recognized",
            (AAssociateRejectSource.ServiceUser, 7) => "called AE title not recognized",
            (AAssociateRejectSource.ServiceProviderAcse, 1) => "no reason given",
            (AAssociateRejectSource.ServiceProviderAcse, 2) => "protocol version not supported",
            (AAssociateRejectSource.ServiceProviderPresentation, 1) => "temporary congestion",
            (AAssociateRejectSource.ServiceProviderPresentation, 2) => "local limit exceeded",
            _ => "reason " + reject.Reason.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        string source = reject.Source switch
        {
            AAssociateRejectSource.ServiceUser => "service-user",
            AAssociateRejectSource.ServiceProviderAcse => "service-provider (ACSE)",
            _ => "service-provider (presentation)",
        };
        return $"A-ASSOCIATE-RJ {result}, source {source}: {reason}";
    }
}
