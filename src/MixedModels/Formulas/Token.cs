namespace MixedModels.Formulas;

internal enum TokenKind { Name, Number, Operator, LeftParen, RightParen, Comma, Equals, End }

/// <summary>A lexical token of a formula with its position in the text.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Start, int End, double Number = 0);
