using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace M365.Module.Tests.Harness;

/// <summary>
/// A PowerShell host that records everything written to its UI, so tests can read what <c>Out-Default</c>,
/// <c>Write-Host</c>, warnings and prompts show a person.
/// </summary>
public sealed class CaptureHost : PSHost
{
    private readonly CaptureHostUserInterface _ui;

    public CaptureHost(bool interactive = true, int width = 160)
    {
        _ui = new CaptureHostUserInterface(interactive, width);
    }

    public override string Name => "M365TestHost";

    public override Version Version { get; } = new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    /// <summary>Everything the host was asked to show, in order.</summary>
    public string Text => _ui.Text;

    public void ClearText() => _ui.Clear();

    public override void EnterNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }
}

internal sealed class CaptureHostUserInterface : PSHostUserInterface
{
    private readonly StringBuilder _text = new();
    private readonly object _gate = new();
    private readonly bool _interactive;

    public CaptureHostUserInterface(bool interactive, int width)
    {
        _interactive = interactive;
        RawUI = new CaptureRawUserInterface(width);
    }

    public override PSHostRawUserInterface RawUI { get; }

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _text.Clear();
        }
    }

    private void Append(string value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override string ReadLine() =>
        _interactive ? string.Empty : throw new PSInvalidOperationException("The test host is non-interactive.");

    public override SecureString ReadLineAsSecureString() =>
        _interactive ? new SecureString() : throw new PSInvalidOperationException("The test host is non-interactive.");

    public override void Write(string value) => Append(value);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);

    public override void WriteLine(string value) => Append(value + Environment.NewLine);

    public override void WriteErrorLine(string value) => Append("ERROR: " + value + Environment.NewLine);

    public override void WriteDebugLine(string message) => Append("DEBUG: " + message + Environment.NewLine);

    public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + Environment.NewLine);

    public override void WriteWarningLine(string message) => Append("WARNING: " + message + Environment.NewLine);

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
        throw new PSInvalidOperationException("The test host does not answer prompts.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw new PSInvalidOperationException("The test host does not answer prompts.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        throw new PSInvalidOperationException("The test host does not answer prompts.");

    // Like a person pressing Enter: the default choice (e.g. "Continue" when -Debug asks whether to go on).
    public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice)
    {
        Append("PROMPT: " + caption + " " + message + Environment.NewLine);
        return _interactive ? Math.Max(defaultChoice, 0) : throw new PSInvalidOperationException("The test host is non-interactive.");
    }
}

internal sealed class CaptureRawUserInterface : PSHostRawUserInterface
{
    private Size _bufferSize;

    public CaptureRawUserInterface(int width)
    {
        _bufferSize = new Size(width, 9999);
    }

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

    public override Size BufferSize
    {
        get => _bufferSize;
        set => _bufferSize = value;
    }

    public override Coordinates CursorPosition { get; set; }

    public override int CursorSize { get; set; } = 1;

    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

    public override bool KeyAvailable => false;

    public override Size MaxPhysicalWindowSize => new(_bufferSize.Width, 100);

    public override Size MaxWindowSize => new(_bufferSize.Width, 100);

    public override Coordinates WindowPosition { get; set; }

    public override Size WindowSize
    {
        get => new(_bufferSize.Width, 100);
        set { }
    }

    public override string WindowTitle { get; set; } = "M365 tests";

    public override void FlushInputBuffer()
    {
    }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];

    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new PSInvalidOperationException("The test host has no keyboard.");

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
    {
    }

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
    {
    }

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
    {
    }
}
