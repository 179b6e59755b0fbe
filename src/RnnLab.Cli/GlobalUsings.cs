global using System.ComponentModel;
global using System.Globalization;
global using Spectre.Console;
global using Spectre.Console.Cli;
