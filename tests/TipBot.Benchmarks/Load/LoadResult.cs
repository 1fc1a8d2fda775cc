namespace TipBot.Benchmarks.Load;

/// <summary>Everything a load run measured, written as JSON (--out) and summarised as a Markdown table.</summary>
public sealed record LoadResult
{
    public string Label { get; init; } = "";
    public string Mode { get; init; } = "";
    public string Stores { get; init; } = "";
    public string Places { get; init; } = "";
    public int Residents { get; init; }
    public double? Rate { get; init; }
    public int Seconds { get; init; }
    public int Warmup { get; init; }
    public MachineInfo Machine { get; init; } = new();
    public string LoadAverageBefore { get; set; } = "";
    public string LoadAverageAfter { get; set; } = "";

    /// <summary>The first tip after the server started, alone (cold: JIT, EF model, first connections).</summary>
    public double ColdTipMs { get; set; }
    public List<double> ColdTurnsMs { get; set; } = [];

    public int ConversationsStarted { get; set; }
    public int ConversationsCompleted { get; set; }
    public int ConversationsFailed { get; set; }
    public int ConversationsNotStarted { get; set; }
    public double TurnsPerConversation { get; set; }
    public int TurnsInWindow { get; set; }
    public int TipsInWindow { get; set; }
    public double TurnsPerSecond { get; set; }
    public double TipsPerSecond { get; set; }

    /// <summary>Webhook POST start → the turn's last reply (its question) arriving at the Telegram double.</summary>
    public Percentiles ReplyLatencyMs { get; set; } = Percentiles.Of([]);

    /// <summary>Webhook POST start → the webhook's 200.</summary>
    public Percentiles AckLatencyMs { get; set; } = Percentiles.Of([]);

    public Dictionary<string, Percentiles> ReplyLatencyByStepMs { get; set; } = [];

    /// <summary>POST start of the "Gửi" turn → the officer's alert arriving at the Telegram double.</summary>
    public Percentiles SubmitToAlertMs { get; set; } = Percentiles.Of([]);

    /// <summary>The resident's code reply → the officer's alert (the part after the turn: Hangfire routing and alert jobs).</summary>
    public Percentiles CodeToAlertMs { get; set; } = Percentiles.Of([]);

    public AlertCheck Alerts { get; set; } = new();
    public Dictionary<string, int> Errors { get; set; } = [];
    public List<string> ErrorExamples { get; set; } = [];
    public ServerFigures Server { get; set; } = new();
    public double HarnessCpuCores { get; set; }
    public double MachineCpuBusyPercent { get; set; }
    public RedisFigures? Redis { get; set; }
    public TelegramCalls Telegram { get; set; } = new();
    public bool Verified { get; set; }
}

public sealed record MachineInfo
{
    public int Cpus { get; init; }
    public string CpuModel { get; init; } = "";
    public double MemoryGb { get; init; }
    public string Os { get; init; } = "";
    public string Dotnet { get; init; } = "";
    public string DateUtc { get; init; } = "";
}

public sealed record AlertCheck
{
    public int TipsGivenACode { get; set; }
    public int AlertsReceived { get; set; }
    public int Missing { get; set; }
    public int Duplicated { get; set; }
    public int WrongOfficer { get; set; }
    public int ForUnknownCodes { get; set; }
    public List<string> MissingExamples { get; set; } = [];
}

public sealed record ServerFigures
{
    public double StartupToReadyMs { get; set; }
    public double CpuCores { get; set; }
    public double PeakRssInWindowMb { get; set; }
    public double VmHwmMb { get; set; }
    public double RssAtEndMb { get; set; }

    /// <summary>From the server's /metrics over the window (<see cref="ServerMetrics"/>); null when it could not be read.</summary>
    public double? AllocatedKbPerTurn { get; set; }
    public double? CollectionsPer1000Turns { get; set; }
    public double? GcPausedPercent { get; set; }

    public int FailLogLines { get; set; }
    public string Gc { get; set; } = "";
    public string LogLevel { get; set; } = "";
    public List<string> ExtraEnvironment { get; set; } = [];
}

public sealed record RedisFigures
{
    public int HeldConversations { get; set; }
    public int HoldFailures { get; set; }
    public long UsedMemoryBefore { get; set; }
    public long UsedMemoryAfter { get; set; }
    public double BytesPerHeldConversation { get; set; }
    public long KeysBefore { get; set; }
    public long KeysAfter { get; set; }
    public double ConversationKeyMemoryUsage { get; set; }
    public double StateJsonBytes { get; set; }
    public double DeliveryKeyMemoryUsage { get; set; }
    public string HeldAt { get; set; } = "";
}

public sealed record TelegramCalls
{
    public long SendMessage { get; set; }
    public long AnswerCallbackQuery { get; set; }
    public long ButtonTurns { get; set; }
    public long Other { get; set; }
    public long OfficerMessagesOtherThanAlerts { get; set; }
}
