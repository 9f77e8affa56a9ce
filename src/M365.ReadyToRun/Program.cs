// An entry point only so the project can be published: see M365.ReadyToRun.csproj.
return 0;
