global using System.Globalization;
global using RnnLab.Configuration;
global using RnnLab.Data;
global using RnnLab.Models;
global using RnnLab.Tests.Support;
global using TorchSharp;
global using Xunit;
global using static TorchSharp.torch;
