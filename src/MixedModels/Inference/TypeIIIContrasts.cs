using MixedModels.Formatting;
using MixedModels.Design;
using MixedModels.Formulas;
using MixedModels.LinearAlgebra;

namespace MixedModels.Inference;

/// <summary>
/// The hypothesis matrices of a type III ANOVA, built as lmerTest builds them (SAS's type III): with X coded by
/// treatment contrasts and Xc holding every cell of every term (each term coded by indicators), the rows of
/// Xc' X (X'X)⁻¹ give estimable functions; each term's columns are made orthogonal to those of the terms that
/// contain it; the rows of a term are then mapped back to the model's own coding. A model with one term (or one
/// column) gets the sequential (type I) contrasts instead, as in lmerTest.
/// </summary>
internal static class TypeIIIContrasts
{
    public static List<(string Term, double[,] L)> Build(ModelDesign design)
    {
        var ts = design.Formula.FixedTerms;
        var frame = design.Frame;
        var xo = design.X;
        int p = xo.Columns, n = xo.Rows;
        if (p <= 1 || ts.Count <= 1) return TypeI(design);

        var treatment = new Dictionary<string, ContrastKind>();
        foreach (var v in ts.Variables) treatment[v.ToString()] = ContrastKind.Treatment;
        var full = ModelMatrixBuilder.Build(ts, frame.Variable, n, treatment, design.Formula.Text);
        var (rank, pivot) = RankRevealingQr.Decompose(full.Data, n, full.Columns);
        var keep = pivot.Take(rank).Order().ToArray();
        var x = Columns(full.Data, n, keep);
        var xNames = keep.Select(j => full.Names[j]).ToArray();
        var xAssign = keep.Select(j => full.Assign[j]).ToArray();

        // Xc: the intercept and, per term, its cells coded by indicators (model.matrix(~ 0 + term)).
        var rd = new List<double[]>();
        var rdNames = new List<(int Term, string Name)>();
        if (ts.Intercept) { rd.Add(Enumerable.Repeat(1.0, n).ToArray()); rdNames.Add((0, "(Intercept)")); }
        for (int t = 0; t < ts.Count; t++)
        {
            var single = TermAlgebra.Expand(design.Formula.Text, null, Parser.Parse("0 + " + ts.Labels[t]));
            var m = ModelMatrixBuilder.Build(single, frame.Variable, n, treatment, design.Formula.Text);
            for (int j = 0; j < m.Columns; j++) { rd.Add(m.Data.AsSpan(j * n, n).ToArray()); rdNames.Add((t + 1, m.Names[j])); }
        }

        // L = Xc' X (X'X)⁻¹: r × p.
        int pk = x.Length, r = rd.Count;
        var xtx = Gram(x, x);
        var xtxInv = Inverse(xtx);
        var l = new double[r, pk];
        var row = new double[pk];
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < pk; j++) row[j] = DenseKernels.Dot(rd[i], x[j]);
            for (int j = 0; j < pk; j++)
            {
                double s = 0;
                for (int k = 0; k < pk; k++) s += row[k] * xtxInv[k, j];
                l[i, j] = s;
            }
        }
        ZapSmall(l);

        var cols = new List<int>[ts.Count];
        for (int t = 0; t < ts.Count; t++) cols[t] = [];
        for (int j = 0; j < pk; j++) if (xAssign[j] > 0) cols[xAssign[j] - 1].Add(j);
        var contains = Containment(ts, frame);
        foreach (int t in Enumerable.Range(0, ts.Count).OrderByDescending(t => ts.VariableIndices(t).Count()))
        {
            var by = contains[t].SelectMany(c => cols[c]).ToArray();
            if (by.Length == 0 || cols[t].Count == 0) continue;
            ResidualizeColumns(l, cols[t], by);
        }

        // Rows of L for the cells that are columns of X, in X's order, matched within their term (a factor 'fac' with a
        // level B and a numeric column 'facB' both make a column named facB).
        var rowOf = new Dictionary<(int, string), int>();
        for (int i = 0; i < rdNames.Count; i++) rowOf.TryAdd(rdNames[i], i);
        var selected = xNames.Select((name, j) => rowOf[(xAssign[j], name)]).ToArray();

        // Map to the model's own coding: β_treatment = M β_model with M = (X'X)⁻¹ X' X_model.
        double[,]? map = null;
        bool same = xNames.SequenceEqual(xo.ColumnNames);
        if (!same)
        {
            var xm = Enumerable.Range(0, p).Select(j => xo.Column(j).ToArray()).ToArray();
            var cross = Gram(x, xm);
            map = SmallMatrix.Multiply(xtxInv, cross);
            ZapSmall(map);
        }

        var result = new List<(string, double[,])>();
        for (int t = 0; t < ts.Count; t++)
        {
            var rows = cols[t].Select(c => Enumerable.Range(0, pk).Select(j => l[selected[j], c]).ToArray())
                .Where(v => v.Sum(Math.Abs) > 1e-8).ToList();
            var lt = new double[rows.Count, pk];
            for (int i = 0; i < rows.Count; i++) for (int j = 0; j < pk; j++) lt[i, j] = rows[i][j];
            result.Add((ts.Labels[t], map is null ? lt : SmallMatrix.Multiply(lt, map)));
        }
        return result;
    }

    /// <summary>lmerTest's containment: term a is contained in term b when b has all of a's contrast-coded variables and more, and the same numeric variables.</summary>
    private static List<int>[] Containment(TermSet ts, ModelFrame frame)
    {
        var vars = new HashSet<int>[ts.Count];
        var numerics = new HashSet<int>[ts.Count];
        for (int t = 0; t < ts.Count; t++)
        {
            vars[t] = ts.VariableIndices(t).Where(v => ts.Coding(t, v) == 1).ToHashSet();
            numerics[t] = vars[t].Where(v => frame.Variable(ts.Variables[v]) is NumericValue { Columns: 1 }).ToHashSet();
        }
        var result = new List<int>[ts.Count];
        for (int a = 0; a < ts.Count; a++)
        {
            result[a] = [];
            for (int b = 0; b < ts.Count; b++)
                if (vars[a].IsSubsetOf(vars[b]) && vars[b].Except(vars[a]).Any() && numerics[a].SetEquals(numerics[b])) result[a].Add(b);
        }
        return result;
    }

    /// <summary>The sequential (type I) contrasts: rows of the unit lower factor of X'X (Doolittle), per term.</summary>
    private static List<(string, double[,])> TypeI(ModelDesign design)
    {
        var ts = design.Formula.FixedTerms;
        var xo = design.X;
        int p = xo.Columns;
        var x = Enumerable.Range(0, p).Select(j => xo.Column(j).ToArray()).ToArray();
        var lmat = DoolittleUpper(Gram(x, x));
        var result = new List<(string, double[,])>();
        for (int t = 0; t < ts.Count; t++)
        {
            var rows = Enumerable.Range(0, p).Where(j => xo.Assign[j] == t + 1).ToArray();
            var lt = new double[rows.Length, p];
            for (int i = 0; i < rows.Length; i++) for (int j = 0; j < p; j++) lt[i, j] = lmat[rows[i], j];
            result.Add((ts.Labels[t], lt));
        }
        return result;
    }

    /// <summary>t(L) of lmerTest's <c>doolittle(x)</c>: the unit lower-triangular factor of x = L U, transposed, small entries set to 0.</summary>
    private static double[,] DoolittleUpper(double[,] a)
    {
        int n = a.GetLength(0);
        const double eps = 1e-6;
        var l = new double[n, n];
        var u = new double[n, n];
        for (int i = 0; i < n; i++) l[i, i] = 1;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = a[i, j];
                for (int k = 0; k < i; k++) s -= l[i, k] * u[k, j];
                u[i, j] = s;
            }
            for (int j = i + 1; j < n; j++)
            {
                double s = a[j, i];
                for (int k = 0; k < i; k++) s -= l[j, k] * u[k, i];
                l[j, i] = Math.Abs(u[i, i]) < eps ? 0 : s / u[i, i];
            }
        }
        var t = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) t[i, j] = Math.Abs(l[j, i]) < eps ? 0 : l[j, i];
        return t;
    }

    /// <summary>Columns <paramref name="target"/> of L replaced by their residuals after least squares on columns <paramref name="by"/> (R's lm.fit), then zapsmall.</summary>
    private static void ResidualizeColumns(double[,] l, List<int> target, int[] by)
    {
        int r = l.GetLength(0);
        var basis = new List<double[]>();
        foreach (int c in by)
        {
            var v = new double[r];
            for (int i = 0; i < r; i++) v[i] = l[i, c];
            double norm0 = Math.Sqrt(v.Sum(z => z * z));
            for (int pass = 0; pass < 2; pass++)
                foreach (var q in basis)
                {
                    double d = DenseKernels.Dot(q, v);
                    for (int i = 0; i < r; i++) v[i] -= d * q[i];
                }
            double norm = Math.Sqrt(v.Sum(z => z * z));
            if (norm0 == 0 || norm < 1e-7 * norm0) continue;
            for (int i = 0; i < r; i++) v[i] /= norm;
            basis.Add(v);
        }
        var residuals = new double[r, target.Count];
        for (int k = 0; k < target.Count; k++)
        {
            var y = new double[r];
            for (int i = 0; i < r; i++) y[i] = l[i, target[k]];
            foreach (var q in basis)
            {
                double d = DenseKernels.Dot(q, y);
                for (int i = 0; i < r; i++) y[i] -= d * q[i];
            }
            for (int i = 0; i < r; i++) residuals[i, k] = y[i];
        }
        ZapSmall(residuals);
        for (int k = 0; k < target.Count; k++) for (int i = 0; i < r; i++) l[i, target[k]] = residuals[i, k];
    }

    private static void ZapSmall(double[,] m)
    {
        int a = m.GetLength(0), b = m.GetLength(1);
        var flat = new double[a * b];
        for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) flat[j * a + i] = m[i, j];
        var z = RFormat.ZapSmall(flat, 7);
        for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) m[i, j] = z[j * a + i];
    }

    private static double[][] Columns(double[] data, int n, int[] cols) => cols.Select(j => data.AsSpan(j * n, n).ToArray()).ToArray();

    private static double[,] Gram(double[][] a, double[][] b)
    {
        var g = new double[a.Length, b.Length];
        for (int i = 0; i < a.Length; i++) for (int j = 0; j < b.Length; j++) g[i, j] = DenseKernels.Dot(a[i], b[j]);
        return g;
    }

    /// <summary>The inverse of a symmetric positive definite matrix; a clear error when it is singular.</summary>
    internal static double[,] Inverse(double[,] a) =>
        SmallMatrix.InverseSpd(a) ?? throw new ModelException("a cross-product matrix is singular");
}
