public enum CRMViewModelsModule {}
