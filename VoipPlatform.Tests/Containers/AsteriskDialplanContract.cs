using System.Text.RegularExpressions;
using VoipPlatform.Contracts.Routing;

namespace VoipPlatform.Tests.Containers;

/// <summary>
/// The contract between the router and the Asterisk dialplan (containers/asterisk/extensions.conf), checked from both
/// sides. The router's side comes from the code it sends with: <see cref="ApplicationNames.All"/>,
/// <see cref="ApplicationParameters.All"/> and <see cref="ApplicationHeaders"/> (the router drops anything else).
/// </summary>
public static partial class AsteriskDialplanContract
{
    /// <summary>The context the routing-layer endpoint's calls start in (pjsip.conf <c>context=</c>).</summary>
    public const string EntryContext = "vp-app";

    /// <summary>Where the instruction headers are read and the application is chosen.</summary>
    public const string DispatchContext = "vp-dispatch";

    /// <summary>One extension per application, nothing else.</summary>
    public const string ApplicationsContext = "vp-applications";

    /// <summary>Every way a call fails before it is answered: each logs and hangs up with a cause.</summary>
    public const string FailureContext = "vp-fail";

    /// <summary>Every header the router can put on an application branch.</summary>
    public static IReadOnlySet<string> RouterHeaders { get; } =
        new[] { ApplicationHeaders.Application }.Concat(ApplicationParameters.All.Select(ApplicationHeaders.ForParameter))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Everything in <paramref name="dialplan"/> that breaks the contract; empty when it holds.</summary>
    public static IReadOnlyList<string> Violations(Dialplan dialplan)
    {
        var violations = new List<string>();
        foreach (string context in new[] { EntryContext, DispatchContext, ApplicationsContext, FailureContext })
        {
            if (!dialplan.HasContext(context)) violations.Add($"context [{context}] is missing");
        }

        // Headers: every one the router sends is read, and nothing else is read.
        var reads = dialplan.Lines.SelectMany(line => HeaderRead().Matches(line.Body).Select(m => (Header: m.Groups[1].Value, Line: line))).ToArray();
        var readNames = reads.Select(r => r.Header).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (string header in RouterHeaders.Order(StringComparer.Ordinal).Where(h => !readNames.Contains(h)))
        {
            violations.Add($"the router sends {header} but the dialplan never reads it (PJSIP_HEADER(read,{header}))");
        }
        foreach (var (header, line) in reads.Where(r => !RouterHeaders.Contains(r.Header)))
        {
            violations.Add($"the dialplan reads {header}, which the router never sends: {line}");
        }

        // Every header value read into a variable is used for something, not only read and checked.
        foreach (var (header, line) in reads)
        {
            if (HeaderIntoVariable().Match(line.Body) is not { Success: true } set)
            {
                violations.Add($"{header} is read but not into a variable of its own: {line}");
                continue;
            }
            string variable = set.Groups[1].Value;
            string reference = "${" + variable + "}";
            bool used = dialplan.Lines.Any(l => l != line && l.Body.Contains(reference, StringComparison.Ordinal) && !IsValidationOnly(l));
            if (!used) violations.Add($"{header} is read into {variable} but {variable} is never used: the instruction is ignored");
        }

        // Applications: one branch per application the router can name, and no branch for anything else.
        IReadOnlyList<string> branches = dialplan.Extensions(ApplicationsContext);
        foreach (string application in ApplicationNames.All.Order(StringComparer.Ordinal).Where(a => !branches.Contains(a)))
        {
            violations.Add($"the router can send X-VP-App: {application} but [{ApplicationsContext}] has no '{application}' extension");
        }
        foreach (string branch in branches.Where(b => !ApplicationNames.All.Contains(b)))
        {
            violations.Add($"[{ApplicationsContext}] has a '{branch}' extension no router instruction leads to (dead branch)");
        }

        // The dispatch goes to the branch X-VP-App names, and to a failure when it names none or an unknown one.
        string? appVariable = reads.Where(r => r.Header.Equals(ApplicationHeaders.Application, StringComparison.OrdinalIgnoreCase))
            .Select(r => HeaderIntoVariable().Match(r.Line.Body)).Where(m => m.Success).Select(m => m.Groups[1].Value).FirstOrDefault();
        if (appVariable is not null)
        {
            string toBranch = $"{ApplicationsContext},${{{appVariable}}},1";
            if (!dialplan.Extension(DispatchContext, "start").Any(l => l.Body.Contains(toBranch, StringComparison.Ordinal)))
            {
                violations.Add($"[{DispatchContext}] never goes to {toBranch}: X-VP-App does not choose the branch");
            }
        }
        foreach (string failure in new[] { "missing", "unknown" })
        {
            if (!dialplan.Extension(DispatchContext, "start").Any(l => l.Body.Contains($"{FailureContext},{failure},1", StringComparison.Ordinal)))
            {
                violations.Add($"[{DispatchContext}] does not send a {failure} instruction to {FailureContext},{failure},1");
            }
        }

        violations.AddRange(BrokenJumps(dialplan));
        violations.AddRange(FailuresWithoutCause(dialplan));
        violations.AddRange(UnusedFailures(dialplan));

        // The IVR's answer goes back to the routing layer in the header the router hands to the API.
        if (!dialplan.Extension(ApplicationsContext, ApplicationNames.Ivr)
                .Any(l => l.Application == "Transfer" && l.Body.Contains($"?{ApplicationHeaders.IvrResult}=", StringComparison.Ordinal)))
        {
            violations.Add($"the ivr branch does not transfer with {ApplicationHeaders.IvrResult} in the Refer-To URI");
        }
        return violations;
    }

    /// <summary>A line that checks a value's form (fails the call or drops the value when it is malformed): no use of it.</summary>
    private static bool IsValidationOnly(DialplanLine line) => line.Body.Contains("REGEX(", StringComparison.Ordinal);

    /// <summary>Gotos to a literal context/extension that does not exist, and to labels the extension does not have.</summary>
    private static IEnumerable<string> BrokenJumps(Dialplan dialplan)
    {
        foreach (DialplanLine line in dialplan.Lines.Where(l => l.Application is "Goto" or "GotoIf"))
        {
            foreach (string target in JumpTargets(line).Where(t => !t.Contains('$'))) // '$': chosen at run time (the dispatch)
            {
                string[] parts = target.Split(',');
                if (parts.Length == 3 && dialplan.Extension(parts[0], parts[1]).Count == 0)
                {
                    yield return $"{line}: goes to {target}, which does not exist";
                }
                else if (parts.Length == 1 && !dialplan.Extension(line.Context, line.Extension).Any(l => l.Label == parts[0]))
                {
                    yield return $"{line}: goes to label {parts[0]}, which {line.Extension} does not have";
                }
            }
        }
    }

    private static IEnumerable<string> JumpTargets(DialplanLine line)
    {
        string arguments = line.Body[(line.Body.IndexOf(line.Application + "(", StringComparison.Ordinal) + line.Application.Length + 1)..].TrimEnd();
        if (arguments.EndsWith(')')) arguments = arguments[..^1];
        if (line.Application == "Goto") return [arguments];
        int question = arguments.LastIndexOf('?');
        return question < 0 ? [] : arguments[(question + 1)..].Split(':').Where(t => t.Length > 0);
    }

    /// <summary>Every failure extension ends the call with a numeric Q.850 cause.</summary>
    private static IEnumerable<string> FailuresWithoutCause(Dialplan dialplan) =>
        dialplan.Extensions(FailureContext)
            .Where(failure => dialplan.Extension(FailureContext, failure).LastOrDefault() is not { } last || !HangupWithCause().IsMatch(last.Body))
            .Select(failure => $"[{FailureContext}] {failure} does not end with Hangup(<cause>)");

    /// <summary>Failure extensions nothing jumps to (dead branches).</summary>
    private static IEnumerable<string> UnusedFailures(Dialplan dialplan) =>
        dialplan.Extensions(FailureContext)
            .Where(failure => !dialplan.Lines.Any(l => l.Context != FailureContext && l.Body.Contains($"{FailureContext},{failure},1", StringComparison.Ordinal)))
            .Select(failure => $"[{FailureContext}] {failure} is never jumped to (dead branch)");

    [GeneratedRegex(@"PJSIP_HEADER\(read,([^,)]+)")]
    private static partial Regex HeaderRead();

    [GeneratedRegex(@"Set\(([A-Z_][A-Z0-9_]*)=\$\{PJSIP_HEADER\(read,[^)]+\)\}\)")]
    private static partial Regex HeaderIntoVariable();

    [GeneratedRegex(@",Hangup\([0-9]+\)$")]
    private static partial Regex HangupWithCause();
}
