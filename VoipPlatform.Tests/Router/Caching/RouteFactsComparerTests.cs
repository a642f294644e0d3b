using VoipPlatform.Contracts.Routing;
using VoipPlatform.Router.Caching;

namespace VoipPlatform.Tests.Router.Caching;

/// <summary>The plan cache's key: every fact of a route request but its Call-ID, headers by content.</summary>
public sealed class RouteFactsComparerTests
{
    private static readonly RouteFactsComparer Comparer = RouteFactsComparer.Instance;

    private static CallRouteRequest Call(string callId, Dictionary<string, string>? headers) =>
        new(callId, new SipParty("1002", "voip.test", "Bob"), new SipParty("1001", "voip.test"), "sip:1001@voip.test",
            "10.0.0.1:5060", CallerAuthenticated: true, SourceTrusted: false, headers);

    [Fact]
    public void Requests_that_differ_only_in_call_id_and_header_order_are_the_same_question()
    {
        var a = Call("a", new() { ["User-Agent"] = "x", ["Diversion"] = "<sip:1@voip.test>" });
        var b = Call("b", new() { ["Diversion"] = "<sip:1@voip.test>", ["User-Agent"] = "x" });

        Assert.True(Comparer.Equals(a, b));
        Assert.Equal(Comparer.GetHashCode(a), Comparer.GetHashCode(b));
        Assert.True(Comparer.Equals(Call("a", null), Call("b", [])));
    }

    [Fact]
    public void Any_other_fact_makes_another_question()
    {
        var call = Call("a", new() { ["User-Agent"] = "x" });

        Assert.False(Comparer.Equals(call, call with { Headers = new Dictionary<string, string> { ["User-Agent"] = "y" } }));
        Assert.False(Comparer.Equals(call, call with { Headers = new Dictionary<string, string> { ["User-Agent"] = "x", ["Diversion"] = "d" } }));
        Assert.False(Comparer.Equals(call, call with { Caller = new SipParty("1002", "voip.test") })); // display name
        Assert.False(Comparer.Equals(call, call with { Callee = new SipParty("1003", "voip.test") }));
        Assert.False(Comparer.Equals(call, call with { RequestUri = "sip:1001@voip.test;user=phone" }));
        Assert.False(Comparer.Equals(call, call with { Source = "10.0.0.2:5060" }));
        Assert.False(Comparer.Equals(call, call with { CallerAuthenticated = false }));
        Assert.False(Comparer.Equals(call, call with { SourceTrusted = true }));
    }
}
