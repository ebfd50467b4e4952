using Embedded.Dicom.Networking.Services;

namespace Embedded.Dicom.Networking.FunctionalTests;

/// <summary>The matching rules of PS3.4 C.2.2.2 as <see cref="QueryMatching"/> applies them (the SCP side of every query above).</summary>
public class QueryMatchingTests
{
    [Theory]
    // Universal (C.2.2.2.3) and "*" alone (C.2.2.2.4): everything, empty values too.
    [InlineData(ValueRepresentation.LO, "", "", true)]
    [InlineData(ValueRepresentation.PN, "*", "", true)]
    // Single value (C.2.2.2.1): exact, padding ignored, case-sensitive except PN.
    [InlineData(ValueRepresentation.LO, "ID1", "ID1 ", true)]
    [InlineData(ValueRepresentation.LO, "id1", "ID1", false)]
    [InlineData(ValueRepresentation.PN, "doe^john", "DOE^JOHN", true)]
    [InlineData(ValueRepresentation.PN, "DOE^JOHN", "DOE^JOHN^^^", true)]
    [InlineData(ValueRepresentation.LO, "ID1", "", false)]
    // Wildcards (C.2.2.2.4): * any run, ? one character, backtracking.
    [InlineData(ValueRepresentation.PN, "DOE*", "DOE^JOHN", true)]
    [InlineData(ValueRepresentation.PN, "*^J?HN", "DOE^JOHN", true)]
    [InlineData(ValueRepresentation.SH, "A*B*C", "AxxBxxBxxC", true)]
    [InlineData(ValueRepresentation.SH, "A*B*C", "AxxBxxBxxD", false)]
    [InlineData(ValueRepresentation.SH, "ACC?", "ACC12", false)]
    [InlineData(ValueRepresentation.UI, "1.2.*", "1.2.3", false)] // no wildcards in UI
    // UID lists (C.2.2.2.2).
    [InlineData(ValueRepresentation.UI, "1.2.3\\1.2.4", "1.2.4", true)]
    [InlineData(ValueRepresentation.UI, "1.2.3\\1.2.4", "1.2.5", false)]
    // Ranges (C.2.2.2.5), inclusive, open at either end.
    [InlineData(ValueRepresentation.DA, "20240101-20240131", "20240131", true)]
    [InlineData(ValueRepresentation.DA, "20240101-20240131", "20240201", false)]
    [InlineData(ValueRepresentation.DA, "-20231231", "20231231", true)]
    [InlineData(ValueRepresentation.DA, "20240101-", "20231231", false)]
    [InlineData(ValueRepresentation.DA, "20240101", "20240101", true)]
    [InlineData(ValueRepresentation.DA, "20240101-", "", false)]
    [InlineData(ValueRepresentation.TM, "08-11", "115959", true)]       // an end given to the hour covers that hour
    [InlineData(ValueRepresentation.TM, "0800-1100", "110030", true)]   // … to the minute, that minute
    [InlineData(ValueRepresentation.TM, "0800-1100", "113000", false)]
    [InlineData(ValueRepresentation.TM, "083000-", "082959.99", false)]
    [InlineData(ValueRepresentation.DT, "20240101-20240102", "20240102235959", true)]
    // Multi-valued attributes match on any value; a key with several values on any of them.
    [InlineData(ValueRepresentation.CS, "MR", "CT\\MR", true)]
    [InlineData(ValueRepresentation.CS, "US\\MR", "CT\\MR", true)]
    [InlineData(ValueRepresentation.CS, "US", "CT\\MR", false)]
    [InlineData(ValueRepresentation.AE, "CT0?", "AA32\\CT01", true)]
    public void Matches_FollowsPS34C2222(ValueRepresentation vr, string key, string value, bool expected)
        => Assert.Equal(expected, QueryMatching.Matches(vr, key, value));
}
