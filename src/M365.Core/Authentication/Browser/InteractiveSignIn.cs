using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using M365.Core.Http;

namespace M365.Core.Authentication.Browser
{
    /// <summary>
    /// The first sign-in of <c>Connect-M365 -Interactive</c>: authorization code with PKCE in the system browser, MSAL
    /// listening on <c>http://localhost:{port}</c>. The module owns MSAL's browser hook, so it can check the page first
    /// (errors Entra ID never redirects), send the browser to the sandbox, honour <c>$BROWSER</c>, and, where no browser
    /// opens, print the URL, keep listening for <see cref="SignInOptions.BrowserFallbackDelay"/>, then use a device code.
    /// </summary>
    internal sealed class InteractiveSignIn
    {
        /// <summary>The redirect URI to register ("Mobile and desktop applications"); MSAL adds a free port.</summary>
        public const string RedirectUri = "http://localhost";

        private readonly SignInOptions _options;
        private readonly HttpTransport _transport;
        private readonly TimeProvider _time;
        private readonly BrowserEnvironment _environment;
        private readonly IBrowserLauncher _launcher;

        public InteractiveSignIn(SignInOptions options, HttpTransport transport, TimeProvider time)
        {
            _options = options;
            _transport = transport;
            _time = time;
            _environment = options.BrowserEnvironment ?? BrowserEnvironment.System;
            _launcher = options.BrowserLauncher ?? new BrowserLauncher(_environment);
        }

        public async Task<AuthenticationResult> AcquireAsync(IPublicClientApplication app, string[] scopes, CancellationToken cancellationToken)
        {
            var attempt = new Attempt(this);
            using (var stopListening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                AcquireTokenInteractiveParameterBuilder builder = app.AcquireTokenInteractive(scopes)
                    .WithUseEmbeddedWebView(false)
                    .WithSystemWebViewOptions(new SystemWebViewOptions { OpenBrowserAsync = url => attempt.OpenAsync(url, stopListening.Token) });
                if (!string.IsNullOrWhiteSpace(_options.LoginHint))
                {
                    builder = builder.WithLoginHint(_options.LoginHint!.Trim());
                }

                Task<AuthenticationResult> interactive = builder.ExecuteAsync(stopListening.Token);
                if (await Task.WhenAny(interactive, attempt.NoBrowser).ConfigureAwait(false) == interactive
                    || await WaitAsync(interactive, _options.BrowserFallbackDelay, cancellationToken).ConfigureAwait(false))
                {
                    try
                    {
                        return await FinishAsync(interactive, attempt, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        // A launcher still watched (a browser that exits with an error later) must not print the URL after the sign-in ended.
                        stopListening.Cancel();
                    }
                }

                // Nobody answered the printed URL in time: free MSAL's port before the device code starts.
                stopListening.Cancel();
                await StoppedAsync(interactive).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                string reason = await attempt.NoBrowser.ConfigureAwait(false);
                _options.WarningCallback?.Invoke($"No browser could be opened ({reason}), and nobody opened the printed URL within {Durations.Describe(_options.BrowserFallbackDelay)}, so the sign-in continues with a device code.");
            }

            Func<DeviceCodePrompt, CancellationToken, Task> show = _options.DeviceCodeCallback ?? throw new M365AuthenticationException(
                AuthenticationErrorIds.DeviceCodeCallbackMissing,
                "No browser could be opened, and the device-code fallback has no way to show its code.",
                "Pass a device-code callback (programs hosting M365.Core only), or run where a browser opens.");
            return await app
                .AcquireTokenWithDeviceCode(scopes, code => show(new DeviceCodePrompt(code.UserCode, new Uri(code.VerificationUrl), code.Message, code.ExpiresOn), cancellationToken))
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
        }

        /// <summary>True when <paramref name="interactive"/> finished within <paramref name="delay"/> (measured on the clock).</summary>
        private async Task<bool> WaitAsync(Task interactive, TimeSpan delay, CancellationToken cancellationToken)
        {
            using (var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                Task elapsed = _time.Delay(delay, stopDelay.Token);
                Task first = await Task.WhenAny(interactive, elapsed).ConfigureAwait(false);
                stopDelay.Cancel();
                return first == interactive;
            }
        }

        private static async Task<AuthenticationResult> FinishAsync(Task<AuthenticationResult> interactive, Attempt attempt, CancellationToken cancellationToken)
        {
            try
            {
                return await interactive.ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt.PageError != null)
            {
                throw new M365AuthenticationException(attempt.PageError.ErrorId, attempt.PageError.Message, attempt.PageError.RecommendedAction, attempt.PageError.AadstsCode, attempt.PageError.Target, ex);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException))
            {
                throw new OperationCanceledException("The browser sign-in was stopped.", ex, cancellationToken);
            }
            catch (MsalException ex) when (ex.ErrorCode == "access_denied" || ex.ErrorCode == MsalError.AuthenticationCanceledError)
            {
                // MSAL's own "User canceled authentication" is not Entra ID's word; a declined consent carries Entra's AADSTS65004.
                string detail = ex is MsalServiceException ? MsalErrorMapper.Detail(ex) : string.Empty;
                throw new M365AuthenticationException(
                    AuthenticationErrorIds.BrowserSignInCancelled,
                    "The browser sign-in was cancelled or declined" + (detail.Length > 0 ? ". Entra ID said: " + detail + "." : "."),
                    "Run Connect-M365 -Interactive again and sign in (and accept the permissions) in the browser.",
                    MsalErrorMapper.FindAadstsCode(ex),
                    innerException: ex);
            }
        }

        private static async Task StoppedAsync(Task interactive)
        {
            try
            {
                await interactive.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Cancelled on purpose; only the listener's end matters here, and that is what awaiting it ensures.
            }
        }

        /// <summary>One run of MSAL's hook: what the page check found, and whether the browser could not be opened.</summary>
        private sealed class Attempt
        {
            private readonly InteractiveSignIn _owner;
            private readonly TaskCompletionSource<string> _noBrowser = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

            public Attempt(InteractiveSignIn owner) => _owner = owner;

            /// <summary>Completes with the reason when no browser could be opened (and the URL was printed).</summary>
            public Task<string> NoBrowser => _noBrowser.Task;

            public M365AuthenticationException? PageError { get; private set; }

            public async Task OpenAsync(Uri authorizeUrl, CancellationToken cancellationToken)
            {
                try
                {
                    await AuthorizePage.ProbeAsync(_owner._transport.Client, authorizeUrl, cancellationToken).ConfigureAwait(false);
                }
                catch (M365AuthenticationException ex)
                {
                    // MSAL may wrap what its hook throws; the flow reads the error from here.
                    PageError = ex;
                    throw;
                }

                Uri browserUrl = AuthorizePage.ForBrowser(authorizeUrl, _owner._transport.Sandbox);
                BrowserChoice choice = _owner._environment.Choose();
                if (choice.Kind == BrowserChoiceKind.None)
                {
                    await NoBrowserAsync(browserUrl, choice.Reason!, cancellationToken).ConfigureAwait(false);
                    return;
                }

                _owner._options.VerboseCallback?.Invoke(choice.Kind == BrowserChoiceKind.BrowserVariable
                    ? $"Opening the sign-in page at {browserUrl.GetLeftPart(UriPartial.Path)} with $BROWSER ({choice.BrowserVariable})."
                    : $"Opening the sign-in page at {browserUrl.GetLeftPart(UriPartial.Path)} in the system's browser.");
                _owner._launcher.Launch(
                    choice,
                    browserUrl,
                    reason =>
                    {
                        if (!cancellationToken.IsCancellationRequested)
                        {
                            _ = NoBrowserAsync(browserUrl, reason, cancellationToken);
                        }
                    },
                    cancellationToken);
            }

            private async Task NoBrowserAsync(Uri browserUrl, string reason, CancellationToken cancellationToken)
            {
                try
                {
                    if (_owner._options.SignInUrlCallback is { } show)
                    {
                        await show(browserUrl, reason, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _noBrowser.TrySetResult(reason);
                }
            }
        }
    }
}
