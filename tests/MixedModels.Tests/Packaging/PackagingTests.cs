using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Xunit;

namespace MixedModels.Tests.Packaging;

/// <summary>
/// The packages as a user gets them: the library's and the tool's NuGet metadata, and the tool installed from a local
/// folder into a temporary tool path and run. A unique prerelease version keeps NuGet's cache out of it.
/// </summary>
[Collection("Packaging")]
public sealed class PackagingTests
{
    private static string RepositoryRoot([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));

    private static (int Code, string Output) Run(string file, string arguments, string directory)
    {
        var info = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); return (-1, stdout + "\n(timed out)"); }
        return (p.ExitCode, stdout + stderr.Result);
    }

    [Fact]
    public void TheToolPacksInstallsAndRuns()
    {
        string root = RepositoryRoot();
        string work = Directory.CreateTempSubdirectory("mixed-pack-").FullName;
        try
        {
            string version = $"0.1.0-ci.{DateTime.UtcNow:yyyyMMddHHmmss}{Environment.ProcessId}";
            string feed = Path.Combine(work, "feed");
            foreach (var project in new[] { "src/MixedModels/MixedModels.csproj", "src/MixedModels.Cli/MixedModels.Cli.csproj" })
            {
                var (code, output) = Run("dotnet", $"pack {project} -c Release -o \"{feed}\" -p:Version={version} --nologo", root);
                Assert.True(code == 0, output);
            }
            Assert.True(File.Exists(Path.Combine(feed, $"MixedModels.{version}.snupkg")));
            foreach (var id in new[] { "MixedModels", "MixedModels.Tool" })
            {
                using var zip = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.nupkg"));
                Assert.NotNull(zip.GetEntry("README.md"));
                Assert.NotNull(zip.GetEntry("LICENSE"));
                using var nuspec = zip.GetEntry($"{id}.nuspec")!.Open();
                var meta = XDocument.Load(nuspec).Root!.Elements().First(e => e.Name.LocalName == "metadata");
                string Get(string name) => meta.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
                Assert.Equal(id, Get("id"));
                Assert.Equal("MIT", Get("license"));
                Assert.Equal("README.md", Get("readme"));
                Assert.Contains("lme4", Get("tags"));
                Assert.DoesNotContain("Package Description", Get("description"));
                Assert.True(Get("description").Length > 40);
                Assert.NotNull(meta.Elements().FirstOrDefault(e => e.Name.LocalName == "repository")?.Attribute("url"));
            }
            string tools = Path.Combine(work, "tools");
            var install = Run("dotnet", $"tool install MixedModels.Tool --tool-path \"{tools}\" --add-source \"{feed}\" --version {version}", work);
            Assert.True(install.Code == 0, install.Output);
            string mixed = Path.Combine(tools, OperatingSystem.IsWindows() ? "mixed.exe" : "mixed");
            var versionRun = Run(mixed, "--version", work);
            Assert.Equal(0, versionRun.Code);
            Assert.StartsWith(version, versionRun.Output.Trim());
            var fit = Run(mixed, "fit --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\"", work);
            Assert.Equal(0, fit.Code);
            Assert.Contains("REML criterion at convergence: 1743.6", fit.Output);
        }
        finally { Directory.Delete(work, recursive: true); }
    }
}
