// Azure Managed Redis (Balanced B0), the successor of Azure Cache for Redis. TLS on port 10000; the queue uses
// Redis Streams on one logical database, which the Enterprise clustering policy serves as a single endpoint.
param location string
param tags object
param name string

resource cluster 'Microsoft.Cache/redisEnterprise@2025-04-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Balanced_B0' }
  properties: {
    minimumTlsVersion: '1.2'
  }
}

resource database 'Microsoft.Cache/redisEnterprise/databases@2025-04-01' = {
  parent: cluster
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted'
    port: 10000
    clusteringPolicy: 'EnterpriseCluster'
    evictionPolicy: 'NoEviction'
    accessKeysAuthentication: 'Enabled'
  }
}

output name string = cluster.name
output host string = cluster.properties.hostName
output databaseId string = database.id
