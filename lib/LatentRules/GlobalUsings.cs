// TorchSharp keeps Parameter in TorchSharp.Modules, beside module types whose names the lab also uses (Linear); an alias
// brings in only Parameter.
global using Parameter = TorchSharp.Modules.Parameter;
