namespace MicAi.Core.Configuration;

public enum AppEnvironment { Dev, Test, Prod }
