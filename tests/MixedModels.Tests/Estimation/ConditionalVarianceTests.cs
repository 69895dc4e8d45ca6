using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Estimation;

/// <summary>
/// The sparse forward substitution of <see cref="LmmWorkspace.ConditionalVariances"/> (issue 10, point 3: O(q) for
/// nested designs instead of a dense solve per level) equals the dense definition Λ(Λ'Z'ZΛ + I)⁻¹Λ' block by block.
/// </summary>
public sealed class ConditionalVarianceTests
{
    public static TheoryData<string, string> Models => new()
    {
        { "sleepstudy", "Reaction ~ Days + (Days | Subject)" },
        { "pastes", "strength ~ 1 + (1 | batch/cask)" },
        { "penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)" },
        { "hsb", "MathAch ~ SES + (SES | Sector) + (1 | School)" },
        { "orthodont", "distance ~ age + (age || Subject) + (1 | Sex)" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void SparseEqualsDense(string data, string formula)
    {
        var design = ModelDesign.Build(formula, Datasets.Load(data));
        var m = LinearMixedModel.Fit(design);
        var ws = new LmmWorkspace(design);
        ws.Objective(m.Theta.ToArray());
        var sparse = ws.ConditionalVariances();

        var (ztz, _, _) = ws.DenseCrossProducts();
        int q = ztz.GetLength(0);
        var lambda = new double[q, q];
        int offset = 0, theta = 0;
        foreach (var t in design.RandomTerms)
        {
            int d = t.Dimension;
            var tm = new double[d, d];
            for (int c = 0; c < d; c++) for (int r = c; r < d; r++) tm[r, c] = m.Theta[theta++];
            for (int l = 0; l < t.LevelCount; l++)
                for (int r = 0; r < d; r++) for (int c = 0; c < d; c++) lambda[offset + l * d + r, offset + l * d + c] = tm[r, c];
            offset += t.LevelCount * d;
        }
        var lam = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(lambda);
        var a = lam.Transpose() * MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(ztz) * lam
            + MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(q);
        var dense = lam * a.Inverse() * lam.Transpose();
        offset = 0;
        for (int j = 0; j < design.RandomTerms.Count; j++)
        {
            var t = design.RandomTerms[j];
            int d = t.Dimension;
            for (int l = 0; l < t.LevelCount; l++)
                for (int r = 0; r < d; r++)
                    for (int c = 0; c < d; c++)
                    {
                        double expected = dense[offset + l * d + r, offset + l * d + c];
                        Assert.Equal(expected, sparse[j][l * d * d + r * d + c], 1e-9 * (1 + Math.Abs(expected)));
                    }
            offset += t.LevelCount * d;
        }
    }
}
