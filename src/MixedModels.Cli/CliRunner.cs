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
            var parse = root.Parse(args);
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
}

/// <summary>A mistake in how the command was used (an option value that makes no sense).</summary>
internal sealed class UsageException(string message) : Exception(message);
