// The daemon tests count this process's ffmpeg children; tests running beside them would start their own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
