using System;
using Embedded.Dicom.Cli;

return args.Length > 0 && args[0] == "demo"
    ? Demo.Run(Console.Out)
    : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: edicom demo");
    return 2;
}
