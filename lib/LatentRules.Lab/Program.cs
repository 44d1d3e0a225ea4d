using LatentRules.Lab.Commands;

// Entry point of the lab's command line: `LatentRules.Lab <command> [options]`. The lab's libtorch, its OpenMP wait
// policy and threads come first, before any command touches TorchSharp (environment/README.md, "Threads").
LatentRules.Torch.TorchRuntime.EnsureLoaded();
return CommandLine.Dispatch(args, CommandList.All);
