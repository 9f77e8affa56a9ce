using M365.Try;

return await TryRunner.RunAsync(args);
