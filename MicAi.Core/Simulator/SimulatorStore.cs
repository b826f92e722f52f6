namespace MicAi.Core.Simulator;

/// <summary>
/// The simulator's chats, in the memory of the api process that serves /simulator (a development tool: a restart
/// starts with no chats, and MicAi's own records stay in Postgres). Bounded, so a long session cannot grow the process:
/// the oldest customers and bubbles go first. Every change bumps <see cref="Version"/> and wakes the page's event stream.
/// </summary>
public sealed class SimulatorStore(TimeProvider time)
{
    public const int MaxCustomers = 200;
    public const int MaxMessagesPerCustomer = 500;

    /// <summary>WhatsApp hides "typing…" after 25 s or when the message arrives.</summary>
    public static readonly TimeSpan TypingLasts = TimeSpan.FromSeconds(25);

    private readonly Lock gate = new();
    private readonly List<SimCustomer> customers = [];
    private readonly Dictionary<string, List<SimMessage>> messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> typingUntil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> lastInbound = new(StringComparer.Ordinal);
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long version;
    private long seq;

    public long Version { get { lock (gate) return version; } }

    /// <summary>Adds the customer, or returns the one already known under the same id.</summary>
    public SimCustomer AddCustomer(SimCustomer customer)
    {
        lock (gate)
        {
            if (customers.Find(c => c.Id == customer.Id) is { } known) return known;
            customers.Add(customer);
            messages[customer.Id] = [];
            if (customers.Count > MaxCustomers)
            {
                var oldest = customers[0];
                customers.RemoveAt(0);
                messages.Remove(oldest.Id);
                typingUntil.Remove(oldest.Id);
                lastInbound.Remove(oldest.Id);
            }
            Changed();
            return customer;
        }
    }

    public SimCustomer? FindCustomer(string id)
    {
        lock (gate) return customers.Find(c => c.Id == id);
    }

    /// <summary>Newest activity first.</summary>
    public IReadOnlyList<SimCustomerSummary> Customers()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            return customers
                .Select(c => new SimCustomerSummary(c, messages[c.Id].LastOrDefault(), IsTyping(c.Id, now)))
                .OrderByDescending(s => s.Last?.Seq ?? 0).ThenByDescending(s => customers.IndexOf(s.Customer))
                .ToList();
        }
    }

    public SimConversation? Conversation(string customerId)
    {
        lock (gate)
        {
            if (customers.Find(c => c.Id == customerId) is not { } customer) return null;
            return new SimConversation(customer, messages[customerId].ToList(), IsTyping(customerId, time.GetUtcNow()), version);
        }
    }

    /// <summary>Stores a new bubble (its Seq is assigned here). A bot message ends "typing…"; a customer's opens the 24 h window.</summary>
    public SimMessage Add(SimMessage message)
    {
        lock (gate)
        {
            if (!messages.TryGetValue(message.CustomerId, out var list)) throw new InvalidOperationException("unknown customer " + message.CustomerId);
            var stored = message with { Seq = ++seq };
            list.Add(stored);
            if (list.Count > MaxMessagesPerCustomer) list.RemoveAt(0);
            if (message.FromCustomer) lastInbound[message.CustomerId] = message.At;
            else typingUntil.Remove(message.CustomerId);
            Changed();
            return stored;
        }
    }

    public SimMessage? Find(string wamid)
    {
        lock (gate) return messages.Values.SelectMany(l => l).FirstOrDefault(m => m.Wamid == wamid);
    }

    /// <summary>Replaces the bubble with that wamid by <paramref name="update"/>'s result; null when it is not (or no longer) kept.</summary>
    public SimMessage? Update(string wamid, Func<SimMessage, SimMessage> update)
    {
        lock (gate)
        {
            foreach (var list in messages.Values)
            {
                var i = list.FindIndex(m => m.Wamid == wamid);
                if (i < 0) continue;
                var updated = update(list[i]);
                if (updated == list[i]) return updated;
                list[i] = updated;
                Changed();
                return updated;
            }
            return null;
        }
    }

    /// <summary>The bot's bubbles to this customer that match <paramref name="filter"/>, oldest first.</summary>
    public IReadOnlyList<SimMessage> BotMessages(string customerId, Func<SimMessage, bool> filter)
    {
        lock (gate) return messages.TryGetValue(customerId, out var list) ? list.Where(m => !m.FromCustomer && filter(m)).ToList() : [];
    }

    /// <summary>When the customer last wrote (the 24 h customer-service window opens then); null if never.</summary>
    public DateTimeOffset? LastInboundAt(string customerId)
    {
        lock (gate) return lastInbound.TryGetValue(customerId, out var at) ? at : null;
    }

    public void ShowTyping(string customerId)
    {
        lock (gate)
        {
            typingUntil[customerId] = time.GetUtcNow() + TypingLasts;
            Changed();
        }
    }

    /// <summary>Returns at once when the version differs from <paramref name="seen"/>, else after the next change.</summary>
    public async Task<long> WaitForChangeAsync(long seen, CancellationToken ct)
    {
        Task next;
        lock (gate)
        {
            if (version != seen) return version;
            next = changed.Task;
        }
        await next.WaitAsync(ct);
        return Version;
    }

    private bool IsTyping(string customerId, DateTimeOffset now) => typingUntil.TryGetValue(customerId, out var until) && until > now;

    private void Changed()
    {
        version++;
        var previous = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }
}
