using System.CommandLine;
using MixedModels.Formatting;

namespace MixedModels.Cli;

/// <summary>Runs a command line and maps failures to exit codes: 0 success, 1 a user error, 2 an internal failure.</summary>
internal static class CliRunner
{
    public const int UserError = 1;
    public const int InternalError = 2;

    public static int Run(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            var parse = root.Parse(args.Length == 0 ? ["--help"] : args);   // `mixed` alone shows what it can do
            if (parse.Errors.Count > 0 && !WantsHelp(args)) return UsageError(parse, error);
            return parse.Invoke(config);
        }
        catch (MixedModelsException e)
        {
            error.WriteLine("error: " + TerminalText.Escape(e.Message));
            return UserError;
        }
        catch (UsageException e)
        {
            error.WriteLine("error: " + TerminalText.Escape(e.Message));
            return UserError;
        }
        catch (IOException e)
        {
            // Standard output on a full device, a closed pipe: the environment's fault, not the input's or ours.
            try { error.WriteLine("error: cannot write the output: " + TerminalText.Escape(e.Message)); } catch (IOException) { }
            return UserError;
        }
        catch (Exception e)
        {
            error.WriteLine("internal error (please report it): " + e.GetType().Name + ": " + TerminalText.Escape(e.Message));
            return InternalError;
        }
    }

    private static bool WantsHelp(string[] args) => args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary>
    /// An unknown option, a missing or malformed value: the parser's messages, the command's one usage line and where
    /// the full help is — not the whole help text.
    /// </summary>
    private static int UsageError(ParseResult parse, TextWriter error)
    {
        foreach (var e in parse.Errors) error.WriteLine("error: " + TerminalText.Escape(e.Message));
        var command = parse.CommandResult.Command;
        var path = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            path.Insert(0, r.Command is RootCommand ? "mixed" : r.Command.Name);
        string name = string.Join(" ", path);
        bool sub = command.Subcommands.Count > 0;
        error.WriteLine($"usage: {name}{(sub ? " <command>" : "")}{(command.Options.Count > 0 ? " [options]" : "")}");
        error.WriteLine($"Run '{name} --help' for {(sub ? "the commands and options" : "the options")}.");
        return UserError;
    }
}

/// <summary>A mistake in how the command was used (an option value that makes no sense).</summary>
internal sealed class UsageException(string message) : Exception(message);
