namespace RnnLab.Tests;

public sealed class ConfigTests
{
    [Fact]
    public void JsonRoundTripKeepsEveryValue()
    {
        var config = new RunConfig
        {
            Name = "x",
            Data = new DataConfig { Path = "a.txt", Mode = CorpusMode.Documents, Delimiter = "%" },
            Model = new ModelConfig { Cell = CellKind.RnnRelu, Hidden = 7 },
            Optim = new OptimConfig { Optimizer = OptimizerKind.Adamw, Schedule = ScheduleKind.Plateau },
            Train = new TrainConfig { Steps = 3, LossOn = LossOn.Last },
        };

        var json = config.ToJson();
        var copy = RunConfig.FromJson(json, "config.json");

        Assert.Equal(config.Model, copy.Model);
        Assert.Equal(config.Data, copy.Data);
        Assert.Equal(config.Optim, copy.Optim);
        Assert.Equal(config.Train, copy.Train);
        Assert.Contains("\"cell\": \"rnn-relu\"", json);
        Assert.Contains("\"optimizer\": \"adamw\"", json);
    }

    [Fact]
    public void UnknownKeysAreErrors()
    {
        var error = Assert.Throws<RnnLabException>(() => RunConfig.FromJson("""{"model": {"hiden": 5}}""", "c.json"));

        Assert.StartsWith("c.json: not a valid RnnLab config:", error.Message);
        Assert.Contains("hiden", error.Message);
    }

    [Theory]
    [InlineData("600", 600)]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    public void DurationsParse(string text, double seconds)
    {
        Assert.Equal(seconds, Duration.ParseSeconds(text, "time-limit"));
    }

    [Fact]
    public void EnumNamesAreKebabCase()
    {
        Assert.Equal(new[] { "rnn-tanh", "rnn-relu", "lstm", "gru", "elman" }, EnumNames.All<CellKind>());
        Assert.Equal(CellKind.RnnTanh, EnumNames.Parse<CellKind>("RNN-TANH", "--cell"));
    }
}
