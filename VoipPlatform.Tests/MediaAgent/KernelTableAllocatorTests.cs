using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VoipPlatform.MediaAgent;
using VoipPlatform.MediaAgent.Kernel;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>Claiming and releasing kernel forwarding tables against a stand-in for the kernel module's control file.</summary>
public sealed class KernelTableAllocatorTests : IDisposable
{
    private readonly KernelControlFileStandIn _kernel = new();

    public void Dispose() => _kernel.Dispose();

    private KernelTableAllocator Agent(Action<KernelForwardingOptions>? configure = null)
    {
        var options = new MediaAgentOptions();
        configure?.Invoke(options.Kernel);
        return new KernelTableAllocator(_kernel, Options.Create(options), TimeProvider.System, NullLogger<KernelTableAllocator>.Instance);
    }

    [Theory]
    [InlineData(0, 30000, 30499)]
    [InlineData(1, 30500, 30999)]
    [InlineData(2, 31000, 31499)]
    [InlineData(63, 61500, 61999)]
    public void Table_ids_map_to_fixed_disjoint_port_ranges_of_500_ports_from_30000(int id, int min, int max)
    {
        Assert.Equal(new PortRange(min, max), Agent().PortsOf(id));
    }

    [Fact]
    public void Claim_skips_ids_the_kernel_control_file_stand_in_refuses_and_takes_the_first_free_one()
    {
        _kernel.TakenByAnotherRelay(0);
        _kernel.TakenByAnotherRelay(1);

        var table = Agent().Claim();

        Assert.Equal(2, table.Id);
        Assert.Equal(new PortRange(31000, 31499), table.Ports);
        Assert.Equal(["add 2"], _kernel.Commands);
    }

    [Fact]
    public async Task Agents_claiming_concurrently_through_the_kernel_control_file_stand_in_get_different_ids_and_disjoint_port_ranges()
    {
        const int agents = 16;
        using var go = new Barrier(agents);

        var tables = await Task.WhenAll(Enumerable.Range(0, agents).Select(_ => Task.Run(() =>
        {
            var agent = Agent();
            go.SignalAndWait();
            return agent.Claim();
        })));

        Assert.Equal(agents, tables.Select(t => t.Id).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, agents).ToHashSet(), _kernel.Tables);
        foreach (var table in tables)
        {
            Assert.All(tables.Where(other => other != table), other => Assert.True(table.Ports.IsDisjointFrom(other.Ports), $"{table} overlaps {other}"));
        }
    }

    [Fact]
    public async Task Release_deletes_the_table_through_the_kernel_control_file_stand_in_so_the_next_claim_gets_it_again()
    {
        var first = Agent().Claim();

        await Agent().ReleaseAsync(first);
        var second = Agent().Claim();

        Assert.Equal(first, second);
        Assert.Equal(["add 0", "del 0", "add 0"], _kernel.Commands);
    }

    [Fact]
    public async Task Release_retries_while_the_kernel_control_file_stand_in_reports_the_table_busy()
    {
        var table = Agent().Claim();
        _kernel.BusyFor(table.Id, times: 3);

        await Agent().ReleaseAsync(table);

        Assert.Empty(_kernel.Tables);
        Assert.Equal(["add 0", "del 0"], _kernel.Commands);
    }

    [Fact]
    public async Task Release_of_a_table_the_kernel_control_file_stand_in_no_longer_has_is_quietly_done()
    {
        var table = Agent().Claim();
        await Agent().ReleaseAsync(table);

        await Agent().ReleaseAsync(table);

        Assert.Equal(["add 0", "del 0"], _kernel.Commands);
    }

    [Fact]
    public void Claim_fails_with_the_range_named_when_the_kernel_control_file_stand_in_refuses_every_configured_id()
    {
        for (int id = 0; id <= 3; id++) _kernel.TakenByAnotherRelay(id);

        var error = Assert.Throws<InvalidOperationException>(() => Agent(k => k.LastTableId = 3).Claim());

        Assert.Contains("from 0 to 3 is taken", error.Message);
        Assert.Empty(_kernel.Commands);
    }
}
