// The Functions host's storage (timer locks, keys), the Flex Consumption deployment container and the container of
// the media customers send (docs/media.md). Shared keys are off: the app reaches it with its user-assigned identity
// (AzureWebJobsStorage__credential = managedidentity; MICAI_MEDIA_BLOB_URL + MICAI_MEDIA_BLOB_CLIENT_ID).
param location string
param tags object
param name string
param deploymentContainerName string
param mediaContainerName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource mediaContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: mediaContainerName
  properties: { publicAccess: 'None' }
}

output name string = storage.name
output mediaContainerName string = mediaContainer.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
