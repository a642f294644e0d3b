using System.Text.RegularExpressions;
using VoipPlatform.Contracts.Routing;
using VoipPlatform.Tests.Infrastructure;

namespace VoipPlatform.Tests.Containers;

/// <summary>
/// containers/asterisk/extensions.conf against what the router sends (<see cref="AsteriskDialplanContract"/>): every
/// instruction header read and used, one branch per application and none for anything else, every jump landing, every
/// failure a hang-up with a cause. Asterisk cannot run here, so the file is parsed, not executed; the checker itself is
/// shown to catch each kind of break on edited copies of the real file.
/// </summary>
public sealed class AsteriskDialplanContractTests
{
    private static readonly string DialplanText = File.ReadAllText(RepositoryPaths.Of("containers", "asterisk", "extensions.conf"));

    private static IReadOnlyList<string> ViolationsOf(string text) => AsteriskDialplanContract.Violations(Dialplan.Parse(text));

    /// <summary>The real file with one extension's lines (from its <c>exten =&gt;</c> to the next blank line) removed.</summary>
    private static string WithoutExtension(string context, string extension)
    {
        string[] lines = DialplanText.Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith($"exten => {extension},1,", StringComparison.Ordinal));
        Assert.True(start >= 0, $"{extension} not found in [{context}]");
        int end = start + 1;
        while (end < lines.Length && lines[end].TrimStart().StartsWith("same", StringComparison.Ordinal)) end++;
        return string.Join('\n', lines[..start].Concat(lines[end..]));
    }

    [Fact]
    public void The_dialplan_handles_every_header_and_application_the_router_can_send_and_nothing_else()
    {
        IReadOnlyList<string> violations = ViolationsOf(DialplanText);

        Assert.True(violations.Count == 0, "extensions.conf breaks the router contract:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void The_router_side_of_the_contract_is_every_application_and_parameter_header_of_the_contracts()
    {
        // Derived from the lists the router filters its instructions with, not copied here.
        Assert.Contains("X-VP-App", AsteriskDialplanContract.RouterHeaders);
        Assert.Equal(ApplicationParameters.All.Count + 1, AsteriskDialplanContract.RouterHeaders.Count);
        Assert.Equal("X-VP-App-Max-Members", ApplicationHeaders.ForParameter(ApplicationParameters.MaxMembers));
    }

    [Theory]
    [InlineData("echo")]
    [InlineData("conference")]
    [InlineData("voicemail-check")]
    public void A_removed_application_branch_is_caught(string application)
    {
        IReadOnlyList<string> violations = ViolationsOf(WithoutExtension(AsteriskDialplanContract.ApplicationsContext, application));

        Assert.Contains(violations, v => v.Contains($"X-VP-App: {application} but [vp-applications] has no '{application}' extension"));
    }

    [Fact]
    public void A_branch_no_instruction_leads_to_is_caught()
    {
        string text = DialplanText.Replace("; Hear yourself.", "exten => fax,1,Answer()\n same => n,Hangup()\n\n; Hear yourself.");

        Assert.Contains(ViolationsOf(text), v => v.Contains("'fax' extension no router instruction leads to (dead branch)"));
    }

    [Fact]
    public void A_parameter_header_the_dialplan_stops_reading_is_caught()
    {
        string text = Regex.Replace(DialplanText, @"^ same => n,Set\(VP_MAX_MEMBERS=.*$", " same => n,Set(VP_MAX_MEMBERS=)", RegexOptions.Multiline);

        Assert.Contains(ViolationsOf(text), v => v.Contains("the router sends X-VP-App-Max-Members but the dialplan never reads it"));
    }

    [Fact]
    public void A_parameter_read_but_never_used_is_caught()
    {
        string text = DialplanText.Replace(" same => n,Set(CONFBRIDGE(user,pin)=${VP_PIN})\n", " same => n,NoOp()\n")
            .Replace(" same => n,Authenticate(${VP_PIN},,16)\n", " same => n,NoOp()\n")
            .Replace("GotoIf($[\"${VP_PIN}\" = \"\"]?listen)", "NoOp()")
            .Replace("GotoIf($[\"${VP_PIN}\" = \"\"]?join)", "NoOp()");

        Assert.Contains(ViolationsOf(text), v => v.Contains("X-VP-App-Pin is read into VP_PIN but VP_PIN is never used"));
    }

    [Fact]
    public void A_header_the_router_never_sends_is_caught()
    {
        string text = DialplanText.Replace(" same => n,Set(VP_ROOM=", " same => n,Set(VP_COLOR=${PJSIP_HEADER(read,X-VP-App-Color)})\n same => n,Set(VP_ROOM=");

        Assert.Contains(ViolationsOf(text), v => v.Contains("the dialplan reads X-VP-App-Color, which the router never sends"));
    }

    [Fact]
    public void A_missing_or_unknown_instruction_must_end_in_a_hangup_with_a_cause()
    {
        string text = DialplanText.Replace(" same => n,Hangup(29)", " same => n,Hangup()");

        Assert.Contains(ViolationsOf(text), v => v.Contains("[vp-fail] unknown does not end with Hangup(<cause>)"));
    }

    [Fact]
    public void A_jump_to_a_missing_failure_or_label_is_caught()
    {
        string text = DialplanText.Replace(":vp-fail,no-mailbox,1)", ":vp-fail,no-such-box,1)").Replace("?listen)", "?lisen)");

        IReadOnlyList<string> violations = ViolationsOf(text);

        Assert.Contains(violations, v => v.Contains("goes to vp-fail,no-such-box,1, which does not exist"));
        Assert.Contains(violations, v => v.Contains("goes to label lisen, which voicemail-check does not have"));
    }
}
