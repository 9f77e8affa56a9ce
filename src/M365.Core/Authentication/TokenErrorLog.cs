using System;
using System.Collections.Generic;
using System.Linq;

namespace M365.Core.Authentication
{
    /// <summary>One sign-in or token error a connection met: its id, AADSTS code, resource and fix. Never a token or a secret.</summary>
    public sealed class TokenError
    {
        internal TokenError(M365AuthenticationException exception, string resourceId, DateTimeOffset when)
        {
            ErrorId = exception.ErrorId;
            AadstsCode = exception.AadstsCode;
            ResourceId = resourceId;
            Message = exception.Message;
            RecommendedAction = exception.RecommendedAction;
            When = when;
        }

        /// <summary>The stable error id (ConsentRequired, ReauthenticationRequired, …).</summary>
        public string ErrorId { get; }

        /// <summary>The AADSTS code Entra ID answered with, if any.</summary>
        public int? AadstsCode { get; }

        /// <summary>The resource the token was asked for.</summary>
        public string ResourceId { get; }

        /// <summary>The error's message (already free of secrets, as every error's is).</summary>
        public string Message { get; }

        /// <summary>What to do.</summary>
        public string? RecommendedAction { get; }

        /// <summary>When it happened.</summary>
        public DateTimeOffset When { get; }

        /// <inheritdoc />
        public override string ToString() => $"{ErrorId}{(AadstsCode is { } code ? " (AADSTS" + code + ")" : string.Empty)} for {ResourceId} at {When:u}";
    }

    /// <summary>The last sign-in and token errors of one connection (at most <see cref="Capacity"/>, the oldest dropped). Thread-safe.</summary>
    internal sealed class TokenErrorLog
    {
        public const int Capacity = 20;
        private readonly Queue<TokenError> _errors = new Queue<TokenError>();

        public void Record(TokenError error)
        {
            lock (_errors)
            {
                _errors.Enqueue(error);
                while (_errors.Count > Capacity)
                {
                    _errors.Dequeue();
                }
            }
        }

        public IReadOnlyList<TokenError> Snapshot()
        {
            lock (_errors)
            {
                return _errors.ToList();
            }
        }
    }
}
