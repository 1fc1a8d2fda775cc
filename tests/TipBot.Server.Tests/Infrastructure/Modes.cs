namespace TipBot.Server.Tests.Infrastructure;

// Integration tests share 2 cores and real servers: run them one class at a time.
[CollectionDefinition("integration", DisableParallelization = true)]
public sealed class IntegrationCollection;
