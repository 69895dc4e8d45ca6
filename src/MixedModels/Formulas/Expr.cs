namespace MixedModels.Formulas;

/// <summary>A node of a parsed formula. <see cref="Start"/> and <see cref="End"/> locate it in the formula text.</summary>
internal abstract record Expr(int Start, int End)
{
    /// <summary>The expression as R's <c>deparse</c> writes it (the text R uses for variable and column names).</summary>
    public override string ToString() => Deparser.Deparse(this);
}

/// <summary>A variable name (a column of the data).</summary>
/// <param name="Name">The name, without backquotes.</param>
/// <param name="Start">Start position in the formula text.</param>
/// <param name="End">End position (exclusive) in the formula text.</param>
internal sealed record NameExpr(string Name, int Start, int End) : Expr(Start, End)
{
    /// <inheritdoc />
    public override string ToString() => Deparser.Deparse(this);
}

/// <summary>A numeric literal.</summary>
/// <param name="Value">The number.</param>
/// <param name="Start">Start position in the formula text.</param>
/// <param name="End">End position (exclusive) in the formula text.</param>
internal sealed record NumberExpr(double Value, int Start, int End) : Expr(Start, End)
{
    /// <inheritdoc />
    public override string ToString() => Deparser.Deparse(this);
}

/// <summary>A call argument, optionally named (<c>raw = TRUE</c>).</summary>
/// <param name="Name">The argument name, or null.</param>
/// <param name="Value">The argument expression.</param>
internal sealed record Argument(string? Name, Expr Value);

/// <summary>A function call such as <c>log(x)</c>, <c>I(x^2)</c> or <c>poly(x, 2)</c>.</summary>
/// <param name="Function">The function name.</param>
/// <param name="Arguments">The arguments.</param>
/// <param name="Start">Start position in the formula text.</param>
/// <param name="End">End position (exclusive) in the formula text.</param>
internal sealed record CallExpr(string Function, IReadOnlyList<Argument> Arguments, int Start, int End) : Expr(Start, End)
{
    /// <inheritdoc />
    public override string ToString() => Deparser.Deparse(this);
}

/// <summary>A binary operator: <c>~ | || + - * / : ^ %in%</c>.</summary>
/// <param name="Op">The operator.</param>
/// <param name="Left">Left operand.</param>
/// <param name="Right">Right operand.</param>
/// <param name="Start">Start position in the formula text.</param>
/// <param name="End">End position (exclusive) in the formula text.</param>
/// <param name="OpPosition">Position of the operator itself.</param>
internal sealed record BinaryExpr(string Op, Expr Left, Expr Right, int Start, int End, int OpPosition) : Expr(Start, End)
{
    /// <inheritdoc />
    public override string ToString() => Deparser.Deparse(this);
}

/// <summary>A unary <c>-</c> or <c>+</c>.</summary>
/// <param name="Op">The operator.</param>
/// <param name="Operand">The operand.</param>
/// <param name="Start">Start position in the formula text.</param>
/// <param name="End">End position (exclusive) in the formula text.</param>
internal sealed record UnaryExpr(string Op, Expr Operand, int Start, int End) : Expr(Start, End)
{
    /// <inheritdoc />
    public override string ToString() => Deparser.Deparse(this);
}

/// <summary>A parenthesized expression.</summary>
/// <param name="Inner">The expression inside.</param>
/// <param name="Start">Start position in the formula text.</param>
/// <param name="End">End position (exclusive) in the formula text.</param>
internal sealed record ParenExpr(Expr Inner, int Start, int End) : Expr(Start, End)
{
    /// <inheritdoc />
    public override string ToString() => Deparser.Deparse(this);
}
