using MicAi.Bench;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.Bench;

public sealed class PayloadsTests
{
    private const string Secret = "bench-test-secret";

    [Fact]
    public void Payloads_AreSignedMetaTextDeliveriesOfOneToThreeKilobytes_WithUniqueWamids()
    {
        var payloads = new Payloads(Secret, ["106540352242922"], duplicateRatio: 0);
        var batch = Enumerable.Range(0, 300).Select(_ => payloads.Next()).ToList();

        Assert.All(batch, w =>
        {
            Assert.InRange(w.Body.Length, 1024, 3200);
            Assert.True(WebhookSignature.Verify(Secret, w.Body, w.Signature));
            var parsed = WebhookParser.Parse(w.Body);
            Assert.True(parsed.IsValid, parsed.Error);
            var message = Assert.Single(parsed.Batch!.Messages);
            Assert.Equal(w.Wamid, message.Wamid);
            Assert.Equal(w.From, message.WaId);
            Assert.StartsWith("michael: ", message.AgentText);
            Assert.NotNull(message.ProfileName);
        });
        Assert.Equal(batch.Count, batch.Select(w => w.Wamid).Distinct().Count());
    }

    [Fact]
    public void Payloads_RedeliverByteIdenticalCopies_AtTheDuplicateRatio()
    {
        var payloads = new Payloads(Secret, ["106540352242922"], duplicateRatio: 0.25);
        var batch = Enumerable.Range(0, 2000).Select(_ => payloads.Next()).ToList();

        var duplicates = batch.Where(w => w.IsDuplicate).ToList();
        Assert.InRange(duplicates.Count, 350, 650);
        var originals = batch.Where(w => !w.IsDuplicate).ToDictionary(w => w.Wamid);
        Assert.Equal(batch.Count - duplicates.Count, originals.Count);
        Assert.All(duplicates, d => Assert.Equal(originals[d.Wamid].Body, d.Body));
    }

    [Fact]
    public void Payloads_TakeTurnsAmongTheBusinessNumbers()
    {
        string[] numbers = ["106540352242922", "106540352242923", "106540352242924"];
        var payloads = new Payloads(Secret, numbers, duplicateRatio: 0);
        var to = Enumerable.Range(0, 9).Select(_ => Assert.Single(WebhookParser.Parse(payloads.Next().Body).Batch!.Messages).PhoneNumberId).ToArray();
        Assert.Equal(numbers.Concat(numbers).Concat(numbers), to);
    }
}
