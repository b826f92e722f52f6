// Key Vault (RBAC mode) holding every MicAi secret. The Function App reads them as Key Vault references with its
// user-assigned identity, so no secret value sits in app settings. Versionless URIs pick up rotated values.
param location string
param tags object
param name string
param redisName string
param postgresHost string
param postgresDatabase string
param postgresLogin string
@secure()
param postgresPassword string
@secure()
param adminApiKey string
@secure()
param whatsAppVerifyToken string
@secure()
param whatsAppAccessToken string
@secure()
param whatsAppAppSecret string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource redis 'Microsoft.Cache/redisEnterprise@2025-04-01' existing = {
  name: redisName
}

resource redisDatabase 'Microsoft.Cache/redisEnterprise/databases@2025-04-01' existing = {
  parent: redis
  name: 'default'
}

// The native StackExchange.Redis form: access keys may hold characters a URL would need escaped.
var redisConnection = '${redis.properties.hostName}:10000,password=${redisDatabase.listKeys().primaryKey},ssl=True,abortConnect=False'
var databaseUrl = 'postgresql://${uriComponent(postgresLogin)}:${uriComponent(postgresPassword)}@${postgresHost}:5432/${postgresDatabase}?sslmode=require'

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'micai-database-url'
  properties: { value: databaseUrl }
}

resource redisUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'micai-redis-url'
  properties: { value: redisConnection }
}

resource adminApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'micai-admin-api-key'
  properties: { value: adminApiKey }
}

resource verifyTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'micai-whatsapp-verify-token'
  properties: { value: whatsAppVerifyToken }
}

resource accessTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'micai-whatsapp-access-token'
  properties: { value: whatsAppAccessToken }
}

resource appSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'micai-whatsapp-app-secret'
  properties: { value: whatsAppAppSecret }
}

output name string = vault.name
output endpoint string = vault.properties.vaultUri
output secretUris object = {
  databaseUrl: databaseUrlSecret.properties.secretUri
  redisUrl: redisUrlSecret.properties.secretUri
  adminApiKey: adminApiKeySecret.properties.secretUri
  verifyToken: verifyTokenSecret.properties.secretUri
  accessToken: accessTokenSecret.properties.secretUri
  appSecret: appSecretSecret.properties.secretUri
}
