// Azure Database for PostgreSQL Flexible Server (Burstable B1ms). Flex Consumption apps without a virtual network
// leave from shared Azure addresses, hence the "Azure services" firewall rule (0.0.0.0).
param location string
param tags object
param name string
param databaseName string
param administratorLogin string
@secure()
param administratorPassword string
@description('Public IPv4 of the machine that runs azd; empty adds no rule. The predeploy hook migrates from there.')
param deployClientIp string = ''

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard_B1ms'
    tier: 'Burstable'
  }
  properties: {
    version: '16'
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: { storageSizeGB: 32 }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: { mode: 'Disabled' }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

// bin/azd-migrate (azure.yaml predeploy) connects from the deploying machine, which "Azure services" does not cover.
resource allowDeployClient 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (!empty(deployClientIp)) {
  parent: server
  name: 'AllowDeployClient'
  properties: {
    startIpAddress: deployClientIp
    endIpAddress: deployClientIp
  }
}

output name string = server.name
output host string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
