using System;
using System.Linq;
using System.Management.Automation;
using M365.PowerShell.Models;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// Binds -Connection of the service cmdlets. A connection object passes as it is; a name becomes the session's connection
/// of that name, marked as made from text, so that <see cref="M365ConnectedCmdlet"/> uses it only when it was typed after
/// -Connection and ignores it when it came with the input (a CSV "Connection" column, a piped string): PowerShell runs
/// this for both and cannot say which. A name of no connection, and a connection deserialized in another process
/// (Start-Job), bind as placeholders, so the cmdlet can fail with its own error id instead of a binding error.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ConnectionTransformationAttribute : ArgumentTransformationAttribute
{
    private static readonly string DeserializedTypeName = "Deserialized." + typeof(M365Connection).FullName;

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case M365Connection connection:
                return connection;
            case string text when !string.IsNullOrWhiteSpace(text):
                return M365Connection.FromText(text);
            case PSCustomObject when inputData is PSObject shell && shell.TypeNames.Contains(DeserializedTypeName, StringComparer.OrdinalIgnoreCase):
                return M365Connection.Deserialized(shell.Properties["Name"]?.Value as string ?? "?");
            default:
                return inputData;
        }
    }
}
