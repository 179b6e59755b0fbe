global using System.Globalization;
global using TorchSharp;
global using TorchSharp.Modules;
global using static TorchSharp.torch;
