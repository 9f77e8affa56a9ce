using System;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Authentication
{
    /// <summary>Lets one caller stop waiting for a shared task without cancelling the task (netstandard2.0 has no Task.WaitAsync).</summary>
    internal static class TaskCancellation
    {
        public static Task<T> WaitWithCancellationAsync<T>(this Task<T> task, CancellationToken cancellationToken)
        {
            if (task.IsCompleted || !cancellationToken.CanBeCanceled)
            {
                return task;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return Task.FromCanceled<T>(cancellationToken);
            }

            return WaitCoreAsync(task, cancellationToken);
        }

        private static async Task<T> WaitCoreAsync<T>(Task<T> task, CancellationToken cancellationToken)
        {
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), cancelled))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }

            return await task.ConfigureAwait(false);
        }
    }
}
