namespace VoipPlatform.Sip.Proxying;

/// <summary>
/// The synchronization context of a worker's thread: a routing policy that awaits (Redis, the business-logic API)
/// resumes on the worker that asked it, through the worker's queue. Without it every resumption took two hops, the
/// thread pool first (where the awaited library completes its tasks asynchronously) and then the worker's queue to
/// carry out the decision: about a third of the router's time under registrations went to those hops.
/// When the queue is full or closed (overload, shutdown), the continuation runs on the thread pool instead, as
/// before, so none is lost.
/// </summary>
internal sealed class WorkerSynchronizationContext(ProxyWorker worker) : SynchronizationContext
{
    /// <inheritdoc />
    public override void Post(SendOrPostCallback callback, object? state)
    {
        if (worker.TryPost(WorkItem.Resume(callback, state))) return;
        ThreadPool.UnsafeQueueUserWorkItem(static posted => posted.callback(posted.state), (callback, state), preferLocal: false);
    }

    /// <summary>Nothing waits synchronously for the worker: that would stall it behind its own queue.</summary>
    public override void Send(SendOrPostCallback callback, object? state) =>
        throw new NotSupportedException("A SIP worker does not run callbacks synchronously for other threads.");

    /// <inheritdoc />
    public override SynchronizationContext CreateCopy() => this;
}
