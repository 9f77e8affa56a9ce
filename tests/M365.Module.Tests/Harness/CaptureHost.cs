using System.Management.Automation.Host;
using M365.Try.Hosting;

namespace M365.Module.Tests.Harness;

/// <summary>
/// Records everything a person would see in a session (<c>Out-Default</c>, host writes, warnings, prompts), through
/// the same <see cref="TextHost"/> M365.Try shows on the console.
/// </summary>
public sealed class CaptureHost
{
    private readonly StringWriter _text = new();
    private readonly TextWriter _synchronized;

    public CaptureHost(bool interactive = true, int width = 160)
    {
        _synchronized = TextWriter.Synchronized(_text);
        PSHost = new TextHost(_synchronized, interactive, width);
    }

    public PSHost PSHost { get; }

    /// <summary>Everything shown so far, in order.</summary>
    public string Text
    {
        get
        {
            // TextWriter.Synchronized locks the wrapper itself on every write.
            lock (_synchronized)
            {
                return _text.ToString();
            }
        }
    }

    public void ClearText()
    {
        lock (_synchronized)
        {
            _text.GetStringBuilder().Clear();
        }
    }
}
