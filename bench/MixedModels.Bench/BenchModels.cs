using MixedModels.Data;
using MixedModels.Design;

namespace MixedModels.Bench;

/// <summary>The benchmark models: name, data set, formula, REML or ML.</summary>
internal static class BenchModels
{
    public sealed record Model(string Name, string Data, string Formula, bool Reml);

    public static readonly Model[] All =
    [
        new("sleepstudy", "sleepstudy", "Reaction ~ Days + (Days | Subject)", true),
        new("penicillin", "penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)", true),
        new("pastes", "pastes", "strength ~ 1 + (1 | batch/cask)", true),
        new("hsb", "hsb", "MathAch ~ SES * Sector + MEANSES + Sex + Minority + (SES | School)", true),
        new("insteval", "insteval", "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)", false),
    ];

    public static Model Get(string name) => All.First(m => m.Name == name);

    public static ModelDesign Design(Model m) => ModelDesign.Build(m.Formula, Datasets.Load(m.Data), dataName: m.Data);
}
