using System;
using System.CommandLine;
using System.Globalization;
using Embedded.Dicom.Networking.Sockets;

namespace Embedded.Dicom.Cli;

/// <summary>Options shared by the SCU commands, with DCMTK's meanings.</summary>
internal sealed class CommonOptions
{
    public Argument<string> Host { get; } = new("host") { Description = "peer host name or address" };

    public Argument<int> Port { get; } = new("port") { Description = "peer TCP port" };

    public Option<string> CallingAe { get; } = new("--aet") { Description = "our AE title (calling)", DefaultValueFactory = _ => "EDICOM" };

    public Option<string> CalledAe { get; } = new("--aec") { Description = "the peer's AE title (called)", DefaultValueFactory = _ => "ANY-SCP" };

    public Option<uint> MaxPdu { get; } = new("--max-pdu") { Description = $"Maximum Length we announce, 4096–{DicomClient.MaximumLengthCap}", DefaultValueFactory = _ => 131_072 };

    public Option<double> Timeout { get; } = new("--timeout") { Description = "ACSE and DIMSE timeout in seconds", DefaultValueFactory = _ => 30 };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Host);
        command.Arguments.Add(Port);
        command.Options.Add(CallingAe);
        command.Options.Add(CalledAe);
        command.Options.Add(MaxPdu);
        command.Options.Add(Timeout);
    }

    public DicomClientOptions Read(ParseResult result)
    {
        uint maxPdu = result.GetValue(MaxPdu);
        if (maxPdu is < 4096 or > DicomClient.MaximumLengthCap)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--max-pdu must be between 4096 and {DicomClient.MaximumLengthCap}"));
        }

        TimeSpan timeout = TimeSpan.FromSeconds(result.GetValue(Timeout));
        return new DicomClientOptions
        {
            Host = result.GetValue(Host)!,
            Port = result.GetValue(Port),
            CallingAeTitle = AeTitle.Parse(result.GetValue(CallingAe)!),
            CalledAeTitle = AeTitle.Parse(result.GetValue(CalledAe)!),
            MaximumLength = maxPdu,
            Timeouts = Networking.AssociationTimeouts.Default with { Acse = timeout, Dimse = timeout, Connect = timeout },
        };
    }
}
