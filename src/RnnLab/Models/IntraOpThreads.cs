namespace RnnLab.Models;

/// <summary>
/// Runs a stretch of step-by-step inference on one libtorch thread. A step's tensors are small
/// (B x 4H), so a parallel region buys little, and each one costs a synchronisation of the threads
/// per operation: at batch 64 (2 layers of 256) sampling took 3 ms per step on one thread and 21 ms on
/// two while another process shared the cores, because every region waits for a descheduled thread.
/// Disposing restores the previous count.
/// </summary>
public sealed class IntraOpThreads : IDisposable
{
    // rows above which a step has enough work to share between threads (B x 4H elements per gate op)
    private const int SmallBatch = 256;

    private readonly int previous;

    private IntraOpThreads(int count)
    {
        previous = torch.get_num_threads();
        torch.set_num_threads(count);
    }

    /// <summary>One thread for small batches on the CPU; no change otherwise (null).</summary>
    public static IntraOpThreads? ForSteps(int rows, Device device) =>
        device.type == DeviceType.CPU && rows <= SmallBatch && torch.get_num_threads() > 1
            ? new IntraOpThreads(1)
            : null;

    public void Dispose() => torch.set_num_threads(previous);
}
