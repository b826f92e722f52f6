// MicAi on Azure Functions (Flex Consumption) with PostgreSQL, Azure Managed Redis and Key Vault. Deployed by
// `azd up` (azure.yaml at the repository root). Local modules only, so the template builds offline.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; part of every resource name.')
param environmentName string

@minLength(1)
@description('Region for all resources (must offer Flex Consumption).')
param location string

@description('PostgreSQL administrator login.')
param postgresAdminLogin string = 'micai'

@secure()
@description('PostgreSQL administrator password.')
param postgresAdminPassword string

@secure()
@description('Key for the /admin API (MICAI_ADMIN_API_KEY).')
param adminApiKey string

@secure()
@description('Meta webhook verify token (MICAI_WHATSAPP_VERIFY_TOKEN).')
param whatsAppVerifyToken string

@secure()
@description('WhatsApp Cloud API access token (MICAI_WHATSAPP_ACCESS_TOKEN).')
param whatsAppAccessToken string

@secure()
@description('Meta app secret for X-Hub-Signature-256 (MICAI_WHATSAPP_APP_SECRET).')
param whatsAppAppSecret string

@description('WhatsApp phone number id (MICAI_WHATSAPP_PHONE_NUMBER_ID).')
param whatsAppPhoneNumberId string

@description('Send replies through the Cloud API; false records them only.')
param outboundReplyEnabled bool = false

@description('NCRONTAB (with seconds) for WorkerPoll. Every 5 s keeps one instance warm; see docs/functions.md.')
param workerPollSchedule string = '*/5 * * * * *'

@description('Seconds WorkerPoll keeps draining the queue per run.')
param workerPollBudgetSeconds int = 50

@description('NCRONTAB (with seconds) for the Scheduler function.')
param schedulerSchedule string = '*/15 * * * * *'

@description('Migrate at every instance start (MICAI_MIGRATE_ON_START); off: the azd predeploy hook migrates once per deploy.')
param migrateOnStart bool = false

@description('Public IPv4 of the machine running azd, admitted by the Postgres firewall so the predeploy hook can migrate.')
param deployClientIp string = ''

@description('Flex Consumption scale-out limit.')
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    location: location
    tags: tags
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    location: location
    tags: tags
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    deploymentContainerName: deploymentContainerName
    mediaContainerName: 'media'
  }
}

module postgres 'app/postgres.bicep' = {
  name: 'postgres'
  scope: rg
  params: {
    location: location
    tags: tags
    name: '${abbrs.dBforPostgreSQLServers}${resourceToken}'
    databaseName: 'micai'
    administratorLogin: postgresAdminLogin
    administratorPassword: postgresAdminPassword
    deployClientIp: deployClientIp
  }
}

module redis 'app/redis.bicep' = {
  name: 'redis'
  scope: rg
  params: {
    location: location
    tags: tags
    name: '${abbrs.cacheRedisEnterprise}${resourceToken}'
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    location: location
    tags: tags
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    redisName: redis.outputs.name
    postgresHost: postgres.outputs.host
    postgresDatabase: postgres.outputs.databaseName
    postgresLogin: postgresAdminLogin
    postgresPassword: postgresAdminPassword
    adminApiKey: adminApiKey
    whatsAppVerifyToken: whatsAppVerifyToken
    whatsAppAccessToken: whatsAppAccessToken
    whatsAppAppSecret: whatsAppAppSecret
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module function 'app/function.bicep' = {
  name: 'function'
  scope: rg
  dependsOn: [rbac] // Key Vault references and identity-based storage need the roles first
  params: {
    location: location
    tags: tags
    name: '${abbrs.webSitesFunctions}${resourceToken}'
    planName: '${abbrs.webServerFarms}${resourceToken}'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageName: storage.outputs.name
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${deploymentContainerName}'
    mediaBlobUrl: storage.outputs.blobEndpoint
    mediaContainerName: storage.outputs.mediaContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    secretUris: keyVault.outputs.secretUris
    whatsAppPhoneNumberId: whatsAppPhoneNumberId
    outboundReplyEnabled: outboundReplyEnabled
    workerPollSchedule: workerPollSchedule
    workerPollBudgetSeconds: workerPollBudgetSeconds
    schedulerSchedule: schedulerSchedule
    migrateOnStart: migrateOnStart
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = function.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.endpoint
output POSTGRES_HOST string = postgres.outputs.host
output POSTGRES_DATABASE string = postgres.outputs.databaseName
output POSTGRES_ADMIN_LOGIN string = postgresAdminLogin
output REDIS_HOST string = redis.outputs.host
output FUNCTION_APP_URL string = 'https://${function.outputs.defaultHostName}'
output WEBHOOK_URL string = 'https://${function.outputs.defaultHostName}/webhook'
// The Functions host reserves routes that start with "admin": the admin API is under /manage there (docs/functions.md).
output ADMIN_API_URL string = 'https://${function.outputs.defaultHostName}/manage'
