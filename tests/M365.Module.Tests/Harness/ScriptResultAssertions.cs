using System.Management.Automation;

namespace M365.Module.Tests.Harness;

internal static class ScriptResultAssertions
{
    /// <summary>The one error a script wrote (or threw), checked for its stable id and category.</summary>
    public static ErrorRecord SingleError(this ScriptResult result, string errorId, ErrorCategory category)
    {
        var records = result.Errors.ToList();
        if (result.Terminating is IContainsErrorRecord terminating)
        {
            records.Add(terminating.ErrorRecord);
        }

        var record = Assert.Single(records, r => r.FullyQualifiedErrorId.StartsWith(errorId + ",", StringComparison.Ordinal) || r.FullyQualifiedErrorId == errorId);
        Assert.Equal(category, record.CategoryInfo.Category);
        return record;
    }

    public static string Text(this ErrorRecord record) =>
        record.Exception.Message + " " + record.ErrorDetails?.Message + " " + record.ErrorDetails?.RecommendedAction;
}
