// Every test here starts DCMTK and edicom processes; running them one at a time keeps a 2-core machine
// responsive and the timeouts meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
