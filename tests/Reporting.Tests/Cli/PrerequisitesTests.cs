using Reporting.Cli;

namespace Reporting.Tests.Cli;

public sealed class PrerequisitesTests
{
    [Fact]
    public void A_missing_chart_font_is_one_line_that_says_which_package_to_install()
    {
        var problem = Prerequisites.FontProblem("No Such Font Family");

        Assert.NotNull(problem);
        Assert.Contains("'No Such Font Family'", problem);
        Assert.Contains("apt-get install fonts-dejavu-core", problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void The_charts_font_DejaVu_Sans_is_found_on_a_machine_with_the_prerequisites()
    {
        Assert.Null(Prerequisites.FontProblem(Prerequisites.ChartFont));
    }

    [Fact]
    public void An_output_folder_that_cannot_be_created_is_one_line_naming_it_and_the_option_to_change()
    {
        var file = Path.GetTempFileName();   // a file where a folder should be: not writable even for root
        try
        {
            var dir = Path.Combine(file, "out");
            var problem = Prerequisites.OutputProblem(dir);

            Assert.NotNull(problem);
            Assert.Contains(dir, problem);
            Assert.Contains("--out", problem);
            Assert.DoesNotContain('\n', problem);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void A_writable_output_folder_passes_and_keeps_no_trace_of_the_check()
    {
        var dir = Directory.CreateTempSubdirectory("prereq-").FullName;
        try
        {
            Assert.Null(Prerequisites.OutputProblem(Path.Combine(dir, "out")));
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(dir, "out")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Missing_PostgreSQL_binaries_are_one_line_that_says_how_to_install_them_or_use_a_server()
    {
        var nowhere = Path.Combine(Path.GetTempPath(), "no-postgres-here");
        var problem = Prerequisites.PostgresProblem(nowhere, searchPath: nowhere, libRoot: nowhere);

        Assert.NotNull(problem);
        Assert.Contains("apt-get install postgresql", problem);
        Assert.Contains("ConnectionStrings__Reporting", problem);
        Assert.DoesNotContain('\n', problem);
    }
}
