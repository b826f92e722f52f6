// MicAi.Functions on the Flex Consumption plan: .NET 10 isolated worker, one user-assigned identity for storage,
// telemetry and Key Vault references. FUNCTIONS_WORKER_RUNTIME and the extension version live in functionAppConfig
// on this plan, not in app settings.
param location string
param tags object
param name string
param planName string
param identityId string
param identityClientId string
param storageName string
param deploymentContainerUrl string
param mediaBlobUrl string
param mediaContainerName string
param applicationInsightsConnectionString string
param secretUris object
param whatsAppPhoneNumberId string
param outboundReplyEnabled bool
param workerPollSchedule string
param workerPollBudgetSeconds int
param schedulerSchedule string
param migrateOnStart bool
param maximumInstanceCount int
param instanceMemoryMB int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    AzureWebJobsStorage__accountName: storageName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    MICAI_APP_ENV: 'prod'
    MICAI_DATABASE_URL: '@Microsoft.KeyVault(SecretUri=${secretUris.databaseUrl})'
    MICAI_REDIS_URL: '@Microsoft.KeyVault(SecretUri=${secretUris.redisUrl})'
    MICAI_ADMIN_API_KEY: '@Microsoft.KeyVault(SecretUri=${secretUris.adminApiKey})'
    MICAI_WHATSAPP_VERIFY_TOKEN: '@Microsoft.KeyVault(SecretUri=${secretUris.verifyToken})'
    MICAI_WHATSAPP_ACCESS_TOKEN: '@Microsoft.KeyVault(SecretUri=${secretUris.accessToken})'
    MICAI_WHATSAPP_APP_SECRET: '@Microsoft.KeyVault(SecretUri=${secretUris.appSecret})'
    MICAI_WHATSAPP_PHONE_NUMBER_ID: whatsAppPhoneNumberId
    MICAI_OUTBOUND_REPLY_ENABLED: string(outboundReplyEnabled)
    MICAI_WORKER_POLL_SCHEDULE: workerPollSchedule
    MICAI_WORKER_POLL_BUDGET_SECONDS: string(workerPollBudgetSeconds)
    MICAI_SCHEDULER_SCHEDULE: schedulerSchedule
    MICAI_MIGRATE_ON_START: string(migrateOnStart)
    MICAI_MEDIA_BLOB_URL: mediaBlobUrl
    MICAI_MEDIA_BLOB_CLIENT_ID: identityClientId
    MICAI_MEDIA_BLOB_CONTAINER: mediaContainerName
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
