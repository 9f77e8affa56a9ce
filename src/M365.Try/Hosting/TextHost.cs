using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace M365.Try.Hosting;

/// <summary>
/// A small PowerShell host that writes what a person would see to a <see cref="TextWriter"/>: the console for M365.Try,
/// a string for the module tests. With <c>interactive</c> false it refuses to read input, as a runbook's host does.
/// </summary>
public sealed class TextHost : PSHost
{
    private readonly TextHostUserInterface _ui;

    public TextHost(TextWriter writer, bool interactive = true, int width = 160, bool colour = false)
    {
        _ui = new TextHostUserInterface(writer, interactive, width, colour);
    }

    public override string Name => "M365TextHost";

    public override Version Version { get; } = new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override void EnterNestedPrompt() => throw new NotSupportedException("This host has no nested prompt.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("This host has no nested prompt.");

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

internal sealed class TextHostUserInterface : PSHostUserInterface
{
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly bool _colour;
    private readonly object _gate = new();

    public TextHostUserInterface(TextWriter writer, bool interactive, int width, bool colour)
    {
        _writer = writer;
        _interactive = interactive;
        _colour = colour;
        RawUI = new TextHostRawUserInterface(width);
    }

    public override PSHostRawUserInterface RawUI { get; }

    private void Append(string value, ConsoleColor? colour = null)
    {
        lock (_gate)
        {
            if (_colour && colour is { } c && !Console.IsOutputRedirected)
            {
                Console.ForegroundColor = c;
                _writer.Write(value);
                Console.ResetColor();
            }
            else
            {
                // Plain text for files, pipes and tests: drop the colour escapes PowerShell's formatter adds.
                _writer.Write(GetOutputString(value, supportsVirtualTerminal: false));
            }
        }
    }

    public override string ReadLine() =>
        _interactive ? string.Empty : throw new PSInvalidOperationException("This host is non-interactive.");

    public override SecureString ReadLineAsSecureString() =>
        _interactive ? new SecureString() : throw new PSInvalidOperationException("This host is non-interactive.");

    public override void Write(string value) => Append(value);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value, foregroundColor);

    public override void WriteLine(string value) => Append(value + Environment.NewLine);

    public override void WriteErrorLine(string value) => Append(value + Environment.NewLine, ConsoleColor.Red);

    public override void WriteDebugLine(string message) => Append("DEBUG: " + message + Environment.NewLine, ConsoleColor.Yellow);

    public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + Environment.NewLine, ConsoleColor.Yellow);

    public override void WriteWarningLine(string message) => Append("WARNING: " + message + Environment.NewLine, ConsoleColor.Yellow);

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
        throw new PSInvalidOperationException("This host does not answer prompts.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw new PSInvalidOperationException("This host does not answer prompts.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        throw new PSInvalidOperationException("This host does not answer prompts.");

    // Like a person pressing Enter: the default choice (e.g. "Continue" when -Debug asks whether to go on).
    public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice)
    {
        Append(caption + " " + message + Environment.NewLine);
        return _interactive ? Math.Max(defaultChoice, 0) : throw new PSInvalidOperationException("This host is non-interactive.");
    }
}

internal sealed class TextHostRawUserInterface : PSHostRawUserInterface
{
    private Size _bufferSize;

    public TextHostRawUserInterface(int width)
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

    public override string WindowTitle { get; set; } = "M365";

    public override void FlushInputBuffer()
    {
    }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];

    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new PSInvalidOperationException("This host has no keyboard.");

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
