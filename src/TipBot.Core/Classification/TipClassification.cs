namespace TipBot.Core.Classification;

/// <summary>The best category and the runner-up, each with a confidence in [0, 1].</summary>
public sealed record TipClassification(string Category, double Confidence, string RunnerUp, double RunnerUpConfidence);

public interface ITipClassifier
{
    TipClassification Classify(string text);
}
