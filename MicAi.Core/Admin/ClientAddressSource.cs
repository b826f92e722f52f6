namespace MicAi.Core.Admin;

/// <summary>
/// Where the admin API takes the client's address from (for MICAI_ADMIN_ALLOWED_CIDRS and the failed-key limit).
/// Behind a platform's proxy every request arrives from the proxy, so keying on the peer would let ten bad keys from
/// anyone lock every operator out; each platform's own proxy header is believed instead, and only the hop it adds.
/// </summary>
public enum ClientAddressSource
{
    /// <summary>The TCP peer; no header is believed. Direct exposure, compose, a VM without a proxy.</summary>
    Peer,

    /// <summary>MICAI_TRUSTED_PROXIES is set: X-Forwarded-For read from the right through the listed proxies.</summary>
    TrustedProxies,

    /// <summary>RENDER=true (set by Render in every service): the hop Render's edge added to X-Forwarded-For.</summary>
    Render,

    /// <summary>WEBSITE_SITE_NAME is set (App Service and Functions): the Client-IP header its front end overwrites.</summary>
    AzureAppService,
}
