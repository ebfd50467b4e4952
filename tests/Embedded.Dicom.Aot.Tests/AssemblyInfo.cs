// Every test starts AOT binaries (some under qemu) and DCMTK servers; one at a time keeps a 2-core machine
// responsive and the bounded waits meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
